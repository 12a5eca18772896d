using Microsoft.Extensions.Logging;
using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>The default <see cref="IModernAuthAuthorization"/>, over MSAL's authorization code (PKCE) and device code flows.</summary>
internal sealed partial class ModernAuthAuthorization(
    ICloudProviderStore providers,
    DelegatedClientFactory clients,
    AuthorizationStateStore states,
    ITokenProvider tokenProvider,
    TimeProvider timeProvider,
    ILogger<ModernAuthAuthorization> logger) : IModernAuthAuthorization
{
    // A field, not only the primary constructor's parameter: the 8.0 logging generator (net8.0) looks for an ILogger field.
    private readonly ILogger _logger = logger;

    public async Task<Uri> BeginAsync(EmailAccount account, Uri? redirectUri = null, string? loginHint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var provider = await FindDelegatedProviderAsync(account, cancellationToken).ConfigureAwait(false);
        var redirect = redirectUri ?? provider.RedirectUri ?? throw new ModernAuthException(
            ModernAuthErrorCategory.InvalidConfiguration,
            $"Cloud provider '{provider.Name}' has no RedirectUri, and none was given for the sign-in of '{account.Address}'.",
            "Set the provider's RedirectUri to the callback registered under the app registration's Authentication (Web platform).")
        {
            CloudProviderName = provider.Name,
            AccountAddress = account.Address,
        };

        var application = clients.CreateConfidential(provider, account.Address, redirect);
        Uri url;
        string verifier;
        try
        {
            // An account that uses Graph consents to its Graph permissions in the same sign-in: the refresh token then serves both.
            url = await application.GetAuthorizationRequestUrl(DelegatedClientFactory.MsalScopes(provider))
                .WithExtraScopesToConsent(account.Transport == MailTransport.Imap ? [] : DelegatedClientFactory.MsalScopes(provider.GraphScopes))
                .WithRedirectUri(redirect.OriginalString)
                .WithLoginHint(loginHint ?? account.UserName)
                .WithPkce(out verifier)
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (MsalException exception)
        {
            throw IdentityErrorTranslator.Translate(exception, provider, timeProvider).ForCaller(account.Address, retryAfter: null);
        }

        var state = await states.AddAsync(
            expiresOn => new AuthorizationState(provider.Name, account.Address, account.UserName, redirect.OriginalString, verifier, expiresOn),
            cancellationToken).ConfigureAwait(false);
        LogSignInStarted(account.Address, provider.Name, redirect, states.Lifetime);
        return AuthorizationUrl.WithState(url, state);
    }

    public Task<DelegatedAuthorizationResult> CompleteAsync(string code, string state, CancellationToken cancellationToken = default) =>
        CompleteAsync(new AuthorizationCallback(code, state), cancellationToken);

    public async Task<DelegatedAuthorizationResult> CompleteAsync(AuthorizationCallback callback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (callback.State is not { } state)
        {
            throw InvalidState(callback.IsError
                ? $"The sign-in callback carried no state, so it cannot be matched to a sign-in; the identity platform answered {AuthorizationCallbackErrors.Describe(callback)}."
                : "The sign-in callback carried no state.");
        }

        var (pending, expired) = await states.TakeAsync(state, cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            LogStateRefused("unknown or already used");
            throw InvalidState("The sign-in callback's state is unknown or was already used (a forged or replayed callback, or a restarted host without a shared state store).");
        }

        if (expired)
        {
            LogStateRefused("expired");
            throw InvalidState($"The sign-in of '{pending.AccountAddress}' took longer than {states.Lifetime} and its state has expired.", pending.AccountAddress);
        }

        if (callback.IsError)
        {
            // The state is used up: a refused or cancelled sign-in is started again, never resumed.
            var refusal = AuthorizationCallbackErrors.Refusal(callback, pending);
            LogCallbackRefused(pending.AccountAddress, pending.CloudProviderName, refusal.ErrorCode ?? callback.Error!, callback.CorrelationId, callback.TraceId);
            throw refusal;
        }

        if (callback.Code is not { } code)
        {
            throw new ModernAuthException(
                ModernAuthErrorCategory.Unknown,
                $"The sign-in callback for '{pending.AccountAddress}' carried neither a code nor an error.",
                "Start the sign-in again; pass every query parameter of the callback to CompleteAsync (AuthorizationCallback.Parse).")
            {
                AccountAddress = pending.AccountAddress,
                CloudProviderName = pending.CloudProviderName,
            };
        }

        var provider = await providers.FindAsync(pending.CloudProviderName, cancellationToken).ConfigureAwait(false)
            ?? throw ProviderNotFound(pending.CloudProviderName, pending.AccountAddress);
        var application = clients.CreateConfidential(provider, pending.AccountAddress, new Uri(pending.RedirectUri));
        AuthenticationResult result;
        try
        {
            result = await application.AcquireTokenByAuthorizationCode(DelegatedClientFactory.MsalScopes(provider), code)
                .WithPkceCodeVerifier(pending.CodeVerifier)
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is MsalException or HttpRequestException)
        {
            throw IdentityErrorTranslator.Translate(exception, provider, timeProvider).ForCaller(pending.AccountAddress, retryAfter: null);
        }

        return await AcceptAsync(application, result, provider, pending.AccountAddress, pending.UserName, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DelegatedAuthorizationResult> AuthorizeWithDeviceCodeAsync(
        EmailAccount account,
        Func<DeviceCodeInfo, CancellationToken, Task> showCode,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(showCode);
        var provider = await FindDelegatedProviderAsync(account, cancellationToken).ConfigureAwait(false);
        var application = clients.CreatePublic(provider, account.Address);
        AuthenticationResult result;
        try
        {
            // A device code names one resource: a Graph-only account signs in for Graph (Auto accounts need admin consent for Graph).
            result = await application.AcquireTokenWithDeviceCode(
                    DelegatedClientFactory.MsalScopes(account.Transport == MailTransport.Graph ? provider.GraphScopes : provider.Scopes),
                    code =>
                    {
                        LogDeviceCodeIssued(account.Address, provider.Name, code.ExpiresOn);
                        return showCode(
                            new DeviceCodeInfo(account.Address, code.UserCode, new Uri(code.VerificationUrl), code.ExpiresOn, code.Message),
                            cancellationToken);
                    })
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is MsalException or HttpRequestException)
        {
            var error = IdentityErrorTranslator.Translate(exception, provider, timeProvider);
            throw error.ErrorCode == "AADSTS7000218"
                ? new ModernAuthException(
                    ModernAuthErrorCategory.InvalidClientConfiguration,
                    $"The device code sign-in of '{account.Address}' (cloud provider '{provider.Name}') was refused: the app registration does not allow public client flows.",
                    "Under the app registration's Authentication, set 'Allow public client flows' to Yes, or sign in with BeginAsync/CompleteAsync in a web host.")
                {
                    ErrorCode = error.ErrorCode,
                    CloudProviderName = provider.Name,
                    AccountAddress = account.Address,
                    CorrelationId = error.CorrelationId,
                }
                : error.ForCaller(account.Address, retryAfter: null);
        }

        return await AcceptAsync(application, result, provider, account.Address, account.UserName, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsAuthorizedAsync(EmailAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var provider = await FindDelegatedProviderAsync(account, cancellationToken).ConfigureAwait(false);
        return await clients.Store.ReadAsync(TokenCacheKeys.For(provider, account.Address), cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task RevokeAsync(EmailAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var provider = await FindDelegatedProviderAsync(account, cancellationToken).ConfigureAwait(false);
        await clients.Store.RemoveAsync(TokenCacheKeys.For(provider, account.Address), cancellationToken).ConfigureAwait(false);
        (tokenProvider as IDelegatedAccountReset)?.ResetDelegatedAccount(provider.Name, account.Address);
        LogRevoked(account.Address, provider.Name);
    }

    /// <summary>Keeps the sign-in if the mailbox's user made it; otherwise removes that user's tokens again and refuses.</summary>
    private async Task<DelegatedAuthorizationResult> AcceptAsync(
        IClientApplicationBase application,
        AuthenticationResult result,
        CloudProvider provider,
        string accountAddress,
        string userName,
        CancellationToken cancellationToken)
    {
        var signedIn = result.Account?.Username ?? string.Empty;
        if (!DelegatedUser.Matches(signedIn, userName, accountAddress))
        {
            // MSAL has already written the tokens; take them out so no call can use another user's mailbox rights.
            if (result.Account is not null)
            {
                await application.RemoveAsync(result.Account).ConfigureAwait(false);
            }

            LogWrongUser(accountAddress, provider.Name, signedIn);
            throw new ModernAuthException(
                ModernAuthErrorCategory.WrongUserSignedIn,
                $"The sign-in for email account '{accountAddress}' (cloud provider '{provider.Name}') was made as '{signedIn}', not as the account's user '{userName}'; it was not stored.",
                $"Sign in again as '{userName}' (use a private browser window, or sign the other user out first).")
            {
                CloudProviderName = provider.Name,
                AccountAddress = accountAddress,
            };
        }

        (tokenProvider as IDelegatedAccountReset)?.ResetDelegatedAccount(provider.Name, accountAddress);
        LogAuthorized(accountAddress, provider.Name, signedIn, clients.Store.Describe());
        cancellationToken.ThrowIfCancellationRequested();
        return new DelegatedAuthorizationResult(accountAddress, provider.Name, signedIn);
    }

    private async Task<CloudProvider> FindDelegatedProviderAsync(EmailAccount account, CancellationToken cancellationToken)
    {
        var provider = await providers.FindAsync(account.CloudProviderName, cancellationToken).ConfigureAwait(false)
            ?? throw ProviderNotFound(account.CloudProviderName, account.Address);
        if (provider.Flow != AuthFlow.Delegated)
        {
            throw new ModernAuthException(
                ModernAuthErrorCategory.InvalidConfiguration,
                $"Email account '{account.Address}' belongs to cloud provider '{provider.Name}', which uses the {provider.Flow} flow: there is nobody to sign in.",
                "Set the provider's Flow to Delegated to have the mailbox's user sign in, or use app-only tokens without a sign-in.")
            {
                CloudProviderName = provider.Name,
                AccountAddress = account.Address,
            };
        }

        return provider;
    }

    private static ModernAuthException ProviderNotFound(string providerName, string accountAddress) =>
        new(
            ModernAuthErrorCategory.InvalidConfiguration,
            $"Email account '{accountAddress}' refers to cloud provider '{providerName}', which is not configured.",
            $"Add a cloud provider named '{providerName}' under CloudProviders.")
        {
            CloudProviderName = providerName,
            AccountAddress = accountAddress,
        };

    private static ModernAuthException InvalidState(string message, string? accountAddress = null) =>
        new(ModernAuthErrorCategory.InvalidAuthorizationState, message, "Start the sign-in again with BeginAsync; each sign-in's callback is accepted once.")
        {
            AccountAddress = accountAddress,
        };
}
