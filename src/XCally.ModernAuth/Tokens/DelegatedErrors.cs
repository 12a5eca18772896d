using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>The failures of delegated accounts, each naming the account so the host can ask an administrator to act on it.</summary>
internal static class DelegatedErrors
{
    public const string SignInAgain =
        "An administrator must sign in again as the mailbox's user: IModernAuthAuthorization.BeginAsync and CompleteAsync in a web host, or AuthorizeWithDeviceCodeAsync in a console host.";

    public const string NoAccountErrorCode = "no_account";

    public const string CacheUnavailableErrorCode = "token_cache_unavailable";

    public const string RefreshDeferredErrorCode = "refresh_deferred";

    /// <summary>Whether <paramref name="exception"/> is one of the SDK's own delegated failures, passed on as it is.</summary>
    public static bool IsOwn(Exception exception) =>
        exception is ModernAuthException { ErrorCode: NoAccountErrorCode or CacheUnavailableErrorCode or RefreshDeferredErrorCode };

    /// <summary>The shared token cache cannot be read and this process holds no copy of the account's sign-in: not a lost sign-in.</summary>
    public static ModernAuthException CacheUnavailable(CloudProvider provider, string accountAddress, string store) =>
        new(
            ModernAuthErrorCategory.Transient,
            $"The token cache ({store}) cannot be reached, and this process holds no copy of the sign-in of email account '{accountAddress}' (cloud provider '{provider.Name}') yet.",
            "Check the connection to the token cache (Redis or the distributed cache the host registered); the SDK tries again by itself, and the sign-in is kept.")
        {
            ErrorCode = CacheUnavailableErrorCode,
            CloudProviderName = provider.Name,
            AccountAddress = accountAddress,
        };

    /// <summary>
    /// A refresh held back: the other instances cannot be asked (the shared cache or its lock is out of reach, or it lost the
    /// entry just now) and one of them may hold a newer refresh token; this one keeps serving its still-valid token.
    /// </summary>
    public static ModernAuthException RefreshDeferred(CloudProvider provider, string accountAddress, string store) =>
        new(
            ModernAuthErrorCategory.Transient,
            $"The refresh of email account '{accountAddress}' (cloud provider '{provider.Name}') was put off: the token cache ({store}) cannot coordinate instances right now, and another instance may hold a newer refresh token. The current token is still valid and served meanwhile.",
            "Nothing to do if the token cache comes back; otherwise check the connection to it (Redis or the distributed cache the host registered).")
        {
            ErrorCode = RefreshDeferredErrorCode,
            CloudProviderName = provider.Name,
            AccountAddress = accountAddress,
        };

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
