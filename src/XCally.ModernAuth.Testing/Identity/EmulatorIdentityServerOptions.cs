using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Testing;

/// <summary>Settings of an <see cref="EmulatorIdentityServer"/>.</summary>
public sealed class EmulatorIdentityServerOptions
{
    /// <summary>Access token lifetime (<c>expires_in</c>); one hour by default. Under five minutes, MSAL refreshes on every silent call.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = EmulatorTokenIssuer.DefaultAccessTokenLifetime;

    /// <summary>Refresh token lifetime; 90 days by default, like Entra ID's inactivity limit.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Whether a redeemed refresh token is revoked at once (strict rotation): its next redemption is refused with
    /// <c>invalid_grant</c>. Default <see langword="false"/>, as Microsoft Entra ID does: each redemption returns a new refresh
    /// token, and the old one stays valid until it expires or the user's sessions are revoked. Turn it on to prove that several
    /// instances sharing a token cache never redeem the same refresh token twice; <see cref="EmulatorRequestCounters.RefreshTokenReuses"/>
    /// counts such second redemptions in both modes.
    /// </summary>
    public bool StrictRefreshTokenRotation { get; set; }

    /// <summary>Authorization code lifetime; ten minutes by default.</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Device code lifetime (<c>expires_in</c>); 15 minutes by default.</summary>
    public TimeSpan DeviceCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The device code polling interval (<c>interval</c>, whole seconds); five seconds by default. MSAL waits this long between polls.</summary>
    public TimeSpan DeviceCodePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether the authorization endpoint shows a sign-in page to a browser (a user name, the permissions asked for, <em>Sign in
    /// and accept</em> and <em>Cancel</em>) instead of signing the <c>login_hint</c> user in at once. For hosts driven by a person
    /// or a real browser; <see cref="EmulatorIdentityServer.SignIn"/>, when set, still decides without a page. Cancel redirects
    /// with <c>error=access_denied</c>, <c>error_subcode=cancel</c> and <c>AADSTS65004</c>, as Entra ID does. Default
    /// <see langword="false"/>.
    /// </summary>
    public bool InteractiveSignIn { get; set; }

    /// <summary>Logs what the server issues and refuses (never a secret or token); nothing is logged when unset.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
