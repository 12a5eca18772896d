using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>The failures of delegated accounts, each naming the account so the host can ask an administrator to act on it.</summary>
internal static class DelegatedErrors
{
    public const string SignInAgain =
        "An administrator must sign in again as the mailbox's user: IModernAuthAuthorization.BeginAsync and CompleteAsync in a web host, or AuthorizeWithDeviceCodeAsync in a console host.";

    public const string NoAccountErrorCode = "no_account";

    public static ModernAuthException NotAuthorized(CloudProvider provider, string accountAddress) =>
        new(
            ModernAuthErrorCategory.ReauthorizationRequired,
            $"Email account '{accountAddress}' of cloud provider '{provider.Name}' has not been authorized: the token cache holds no sign-in of its user (never signed in, revoked, or the cache entry was lost or could not be decrypted).",
            SignInAgain)
        {
            ErrorCode = NoAccountErrorCode,
            CloudProviderName = provider.Name,
            AccountAddress = accountAddress,
        };

    /// <summary>
    /// A failed silent acquisition: MSAL's "user interaction required" (<c>invalid_grant</c>: revoked, expired, consent withdrawn,
    /// sign-in frequency) becomes <see cref="ModernAuthErrorCategory.ReauthorizationRequired"/>; anything else keeps its category.
    /// </summary>
    public static ModernAuthException FromSilent(Exception exception, CloudProvider provider, string accountAddress, TimeProvider timeProvider)
    {
        var translated = IdentityErrorTranslator.Translate(exception, provider, timeProvider);
        if (exception is not MsalUiRequiredException && translated.Category != ModernAuthErrorCategory.ReauthorizationRequired)
        {
            return translated.ForCaller(accountAddress, retryAfter: null);
        }

        var advice = translated.Category == ModernAuthErrorCategory.ReauthorizationRequired && translated.Advice is { } known
            ? $"{known} {SignInAgain}"
            : SignInAgain;
        return new ModernAuthException(
            ModernAuthErrorCategory.ReauthorizationRequired,
            $"The sign-in of email account '{accountAddress}' (cloud provider '{provider.Name}') is no longer accepted. {translated.Summary}",
            advice,
            translated.InnerException)
        {
            ErrorCode = translated.ErrorCode,
            CloudProviderName = provider.Name,
            AccountAddress = accountAddress,
            CorrelationId = translated.CorrelationId,
        };
    }
}
