namespace XCally.ModernAuth;

/// <summary>
/// Signs delegated email accounts in: an administrator signs in once as the mailbox's user (authorization code with PKCE in a
/// web host, device code in a console host), after which <see cref="ITokenProvider"/> gets that account's tokens silently with
/// refresh tokens. When a sign-in stops being accepted, <see cref="ITokenProvider.GetAccessTokenAsync(EmailAccount, MailProtocol, CancellationToken)"/> throws a
/// <see cref="ModernAuthException"/> of category <see cref="ModernAuthErrorCategory.ReauthorizationRequired"/> naming the
/// account; sign it in again here. Thread-safe.
/// </summary>
#pragma warning disable RS0026 // The CompleteAsync overloads differ in their first parameters, never in which optional parameters they take.
public interface IModernAuthAuthorization
{
    /// <summary>
    /// Starts an authorization code sign-in with PKCE for an account of a <see cref="AuthFlow.Delegated"/> provider: returns the
    /// sign-in page to send the browser to. The PKCE verifier stays on the server, under a random single-use <c>state</c> that
    /// expires after <see cref="DelegatedAuthorizationOptions.StateLifetime"/>.
    /// </summary>
    /// <param name="account">The account to authorize.</param>
    /// <param name="redirectUri">The callback registered under the app registration's Authentication (Web platform); the provider's <see cref="CloudProvider.RedirectUri"/> when omitted.</param>
    /// <param name="loginHint">The user name pre-filled on the sign-in page; the account's <see cref="EmailAccount.UserName"/> when omitted.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The URL of the sign-in page.</returns>
    /// <exception cref="ModernAuthException">The account's provider is missing, not delegated, or has no redirect URI.</exception>
    Task<Uri> BeginAsync(EmailAccount account, Uri? redirectUri = null, string? loginHint = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes a sign-in from the callback's <c>code</c> and <c>state</c>: redeems the code with the PKCE verifier, checks that
    /// the user who signed in is the account's, and stores the tokens in the token cache.
    /// </summary>
    /// <param name="code">The callback's <c>code</c> query parameter.</param>
    /// <param name="state">The callback's <c>state</c> query parameter.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The account authorized and the user who signed in.</returns>
    /// <exception cref="ModernAuthException">
    /// <see cref="ModernAuthErrorCategory.InvalidAuthorizationState"/> for an unknown, reused or expired state;
    /// <see cref="ModernAuthErrorCategory.WrongUserSignedIn"/> when another user signed in; otherwise the identity platform's refusal.
    /// </exception>
    Task<DelegatedAuthorizationResult> CompleteAsync(string code, string state, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes a sign-in from everything its callback carried (<see cref="AuthorizationCallback.Parse"/> reads the redirect URI's
    /// query string): with a <c>code</c>, as <see cref="CompleteAsync(string, string, CancellationToken)"/>; with an <c>error</c>,
    /// the sign-in's state is used up and the identity platform's answer is thrown in words (the user cancelled, consent was
    /// refused, <c>AADSTS65001</c>), with its error code and correlation id, and its trace id in the message.
    /// </summary>
    /// <param name="callback">The callback's parameters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The account authorized and the user who signed in.</returns>
    /// <exception cref="ModernAuthException">
    /// <see cref="ModernAuthErrorCategory.InvalidAuthorizationState"/> for an unknown, reused or expired state (whatever else the
    /// callback carried); <see cref="ModernAuthErrorCategory.ConsentRequired"/> when the user cancelled or declined, or consent is
    /// missing; <see cref="ModernAuthErrorCategory.WrongUserSignedIn"/> when another user signed in; otherwise the identity
    /// platform's refusal.
    /// </exception>
    Task<DelegatedAuthorizationResult> CompleteAsync(AuthorizationCallback callback, CancellationToken cancellationToken = default);

    /// <summary>
    /// Signs an account in with the device code flow, for hosts without a browser: <paramref name="showCode"/> gets the code and
    /// the page where the user enters it; the call returns once the user has signed in. The app registration must allow public
    /// client flows (Authentication, <em>Allow public client flows</em>); the account's tokens are then refreshed as a public client.
    /// </summary>
    /// <param name="account">The account to authorize.</param>
    /// <param name="showCode">Shows the code to the user (console, log, message to an administrator).</param>
    /// <param name="cancellationToken">Cancels the wait for the user.</param>
    /// <returns>The account authorized and the user who signed in.</returns>
    /// <exception cref="ModernAuthException">The sign-in was declined, expired, refused, or done as another user.</exception>
    Task<DelegatedAuthorizationResult> AuthorizeWithDeviceCodeAsync(
        EmailAccount account,
        Func<DeviceCodeInfo, CancellationToken, Task> showCode,
        CancellationToken cancellationToken = default);

    /// <summary>Whether the token cache holds a sign-in for an account (it may still have been revoked at the identity platform).</summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a sign-in is stored.</returns>
    Task<bool> IsAuthorizedAsync(EmailAccount account, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets an account's sign-in: its token cache entry (memory and store) and the token provider's cached token. The next
    /// token request for it throws <see cref="ModernAuthErrorCategory.ReauthorizationRequired"/>. This does not revoke the
    /// refresh token at the identity platform (use <c>Revoke-MgUserSignInSession</c> for that).
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the entry is removed.</returns>
    Task RevokeAsync(EmailAccount account, CancellationToken cancellationToken = default);
}
#pragma warning restore RS0026
