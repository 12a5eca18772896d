using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing.Tests.Identity;

public class EmulatorTokenIssuerTests
{
    private readonly EmulatorDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void IssueDelegatedAccessToken_UpnOverride_CarriesMailboxAddressAndSubject()
    {
        var (app, user) = Register();
        using var key = new EmulatorSigningKey();
        var issuer = new EmulatorTokenIssuer(key, _time);

        var token = new JsonWebToken(issuer.IssueDelegatedAccessToken(app, user, overrides: new EmulatorTokenOverrides { UserPrincipalName = "shared@contoso.onmicrosoft.com" }));

        Assert.Equal("shared@contoso.onmicrosoft.com", token.GetClaim("upn").Value);
        Assert.NotEmpty(token.Subject);
        Assert.Equal("IMAP.AccessAsUser.All SMTP.Send", token.GetClaim("scp").Value);
        Assert.Equal(key.KeyId, token.Kid);
    }

    [Fact]
    public void IssueAppOnlyAccessToken_NegativeLifetime_AlreadyExpired()
    {
        var (app, _) = Register();
        using var key = new EmulatorSigningKey();
        var issuer = new EmulatorTokenIssuer(key, _time);

        var token = new JsonWebToken(issuer.IssueAppOnlyAccessToken(app, overrides: new EmulatorTokenOverrides { Lifetime = TimeSpan.FromMinutes(-5) }));

        Assert.Equal(_time.GetUtcNow().AddMinutes(-5).UtcDateTime, token.ValidTo);
        Assert.True(token.ValidFrom < token.ValidTo);
    }

    [Fact]
    public async Task IssueAppOnlyAccessToken_ForeignKeyAndAudience_FailsValidationAgainstEmulatorKey()
    {
        var (app, _) = Register();
        using var key = new EmulatorSigningKey();
        using var foreign = new EmulatorSigningKey();
        var issuer = new EmulatorTokenIssuer(key, _time);

        var raw = issuer.IssueAppOnlyAccessToken(app, overrides: new EmulatorTokenOverrides
        {
            SigningCredentials = foreign.SigningCredentials,
            Audience = "https://graph.microsoft.com",
            Roles = [],
        });

        var token = new JsonWebToken(raw);
        Assert.Equal("https://graph.microsoft.com", token.Audiences.Single());
        Assert.False(token.TryGetClaim("roles", out _));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(raw, new TokenValidationParameters
        {
            IssuerSigningKey = key.SecurityKey,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
        });
        Assert.False(result.IsValid);
    }

    private (EmulatorApplication App, EmulatorUser User) Register()
    {
        var tenant = _directory.AddTenant("contoso.onmicrosoft.com");
        var app = _directory.AddApplication(tenant, "helpdesk")
            .GrantAppRoles(EmulatorApplication.ImapAccessAsApp)
            .AddDelegatedScopes(EmulatorApplication.SmtpSend, EmulatorApplication.ImapAccessAsUser);
        return (app, _directory.AddUser(tenant, "agent@contoso.onmicrosoft.com"));
    }
}
