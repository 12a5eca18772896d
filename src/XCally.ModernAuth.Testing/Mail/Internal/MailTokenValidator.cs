using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing.Mail.Internal;

/// <summary>
/// Checks a bearer token the way Exchange Online does for IMAP, POP3 and SMTP: an RS256 signature by the emulator's key, a v1 issuer of a
/// known tenant, an Exchange Online audience, the lifetime on the server's clock, then the protocol's role (app-only) or scope (delegated)
/// and the identity's access to the mailbox: IMAP and POP3 open a mailbox the identity owns or holds Full Access to (a shared mailbox's
/// address as <c>user=</c>), SMTP takes only a delegated token's own user as <c>user=</c> and applies Send As when the message is submitted.
/// </summary>
internal sealed class MailTokenValidator
{
    /// <summary>The audiences Exchange Online accepts: its resource URIs and its first-party application id.</summary>
    public static readonly string[] ExchangeAudiences =
    [
        "https://outlook.office365.com",
        "https://outlook.office.com",
        "https://ps.outlook.com",
        "00000002-0000-0ff1-ce00-000000000000",
    ];

    private const string IssuerPrefix = "https://sts.windows.net/";

    private readonly EmulatorDirectory _directory;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _clockSkew;
    private readonly bool _refuseWithoutFullAccess;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;

    public MailTokenValidator(EmulatorDirectory directory, EmulatorSigningKey signingKey, TimeProvider timeProvider, TimeSpan clockSkew, bool refuseWithoutFullAccess = false)
    {
        _refuseWithoutFullAccess = refuseWithoutFullAccess;
        _directory = directory;
        _timeProvider = timeProvider;
        _clockSkew = clockSkew;
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = signingKey.SecurityKey,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuer = true,
            IssuerValidator = ValidateIssuer,
            ValidateAudience = true,
            ValidAudiences = ExchangeAudiences,
            ValidateLifetime = true,
            LifetimeValidator = ValidateLifetime,
            ClockSkew = clockSkew,
        };
    }

    /// <summary>The permission a token needs for a protocol.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>The app role and the delegated scope.</returns>
    public static (string Role, string Scope) RequiredPermission(MailProtocol protocol) => protocol switch
    {
        MailProtocol.Imap => (EmulatorApplication.ImapAccessAsApp, EmulatorApplication.ImapAccessAsUser),
        MailProtocol.Pop3 => (EmulatorApplication.PopAccessAsApp, EmulatorApplication.PopAccessAsUser),
        _ => (EmulatorApplication.SmtpSendAsApp, EmulatorApplication.SmtpSend),
    };

    /// <summary>Decides whether the SASL response opens the mailbox it names.</summary>
    /// <param name="protocol">The protocol being authenticated.</param>
    /// <param name="response">The parsed SASL response.</param>
    /// <returns>The decision.</returns>
    public async Task<MailAuthResult> ValidateAsync(MailProtocol protocol, OAuthSaslResponse response)
    {
        var validation = await _handler.ValidateTokenAsync(response.Token, _parameters).ConfigureAwait(false);
        if (!validation.IsValid || validation.SecurityToken is not JsonWebToken jwt)
        {
            return MailAuthResult.Fail($"the token is not valid ({validation.Exception?.GetType().Name ?? "unknown"})");
        }

        var tenantId = Claim(jwt, "tid");
        var mailbox = _directory.FindMailbox(response.User);
        if (mailbox is null || !string.Equals(mailbox.Tenant.TenantId, tenantId, StringComparison.OrdinalIgnoreCase))
        {
            return MailAuthResult.Fail($"mailbox {response.User} does not exist in tenant {tenantId}");
        }

        var clientId = Claim(jwt, "appid") ?? Claim(jwt, "azp");
        var roles = jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var scopes = Claim(jwt, "scp")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var appOnly = string.Equals(Claim(jwt, "idtyp"), "app", StringComparison.OrdinalIgnoreCase) || (scopes is null && roles.Count > 0);
        var (role, scope) = RequiredPermission(protocol);

        if (appOnly)
        {
            if (!roles.Contains(role))
            {
                return MailAuthResult.Fail($"the app-only token has no {role} role");
            }

            if (clientId is null || _directory.FindApplication(clientId) is not { } application)
            {
                return MailAuthResult.Fail($"application {clientId} is not registered");
            }

            if (!application.ExchangeServicePrincipal)
            {
                // Exchange Online answers a token of a service principal it was never told about (no New-ServicePrincipal) as a bad token.
                return MailAuthResult.Fail($"application {clientId} has no service principal in Exchange Online (New-ServicePrincipal)");
            }

            if (protocol == MailProtocol.Smtp && !mailbox.SmtpAuthEnabled)
            {
                return new MailAuthResult(MailAuthOutcome.SmtpAuthDisabled, mailbox, clientId, null, $"SMTP AUTH is disabled for {mailbox.Address}");
            }

            if (mailbox.HasFullAccess(clientId))
            {
                return new MailAuthResult(MailAuthOutcome.Succeeded, mailbox, clientId, null, string.Empty);
            }

            // Exchange Online answers a missing Add-MailboxPermission either way: AUTHENTICATE failed, or OK and then a refusal of every command
            // (SMTP: the login succeeds and the submission fails with 430 4.2.0 STOREDRV; mailbox logon failure).
            var reason = $"application {clientId} has no full access to {mailbox.Address}";
            return _refuseWithoutFullAccess
                ? MailAuthResult.Fail(reason)
                : protocol == MailProtocol.Smtp
                    ? new MailAuthResult(MailAuthOutcome.Succeeded, mailbox, clientId, null, string.Empty)
                    : new MailAuthResult(MailAuthOutcome.NotConnected, mailbox, clientId, null, reason);
        }

        if (scopes is null || !scopes.Contains(scope))
        {
            return MailAuthResult.Fail($"the delegated token has no {scope} scope");
        }

        var upn = Claim(jwt, "upn") ?? Claim(jwt, "unique_name") ?? string.Empty;
        var user = _directory.FindUser(upn);
        if (user is null)
        {
            return MailAuthResult.Fail($"user {upn} is not registered");
        }

        var owns = mailbox.Owner is { } owner && string.Equals(owner.UserPrincipalName, upn, StringComparison.OrdinalIgnoreCase);
        if (protocol == MailProtocol.Smtp)
        {
            // A shared mailbox has no sign-in of its own: SMTP takes only the token's user, then applies Send As to the message.
            if (!owns)
            {
                return MailAuthResult.Fail($"SMTP AUTH takes only the token's own user {upn}, not {mailbox.Address}");
            }

            return mailbox.SmtpAuthEnabled
                ? new MailAuthResult(MailAuthOutcome.Succeeded, mailbox, clientId, upn, string.Empty)
                : new MailAuthResult(MailAuthOutcome.SmtpAuthDisabled, mailbox, clientId, upn, $"SMTP AUTH is disabled for {mailbox.Address}");
        }

        return owns || mailbox.HasFullAccess(user)
            ? new MailAuthResult(MailAuthOutcome.Succeeded, mailbox, clientId, upn, string.Empty)
            : MailAuthResult.Fail($"user {upn} has no full access to {mailbox.Address}");
    }

    private static string? Claim(JsonWebToken jwt, string type) =>
        jwt.TryGetPayloadValue<string>(type, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private string ValidateIssuer(string issuer, SecurityToken token, TokenValidationParameters parameters)
    {
        var tenantId = token is JsonWebToken jwt ? Claim(jwt, "tid") : null;
        if (tenantId is not null
            && issuer.StartsWith(IssuerPrefix, StringComparison.Ordinal)
            && issuer.EndsWith('/')
            && string.Equals(issuer[IssuerPrefix.Length..^1], tenantId, StringComparison.OrdinalIgnoreCase)
            && _directory.FindTenant(tenantId) is { } tenant
            && string.Equals(tenant.TenantId, tenantId, StringComparison.OrdinalIgnoreCase))
        {
            return issuer;
        }

        throw new SecurityTokenInvalidIssuerException("The issuer is not the v1 issuer of a known tenant.");
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        return expires is { } exp
            && now < exp.ToUniversalTime() + _clockSkew
            && (notBefore is not { } nbf || now >= nbf.ToUniversalTime() - _clockSkew);
    }
}
