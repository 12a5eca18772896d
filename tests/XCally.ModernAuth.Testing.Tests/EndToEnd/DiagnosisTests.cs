using Microsoft.Extensions.DependencyInjection;
using XCally.ModernAuth.Testing.Tests.Support;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

/// <summary>
/// The diagnosis of one account on the emulator: every set-up step an administrator misses most often, each found at its own
/// step with the fix, and a healthy account with every step green.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public class DiagnosisTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DiagnoseAsync_HealthyAccount_EveryStepPassedAndNothingSent()
    {
        await using var host = await EmulatorHost.StartAsync();

        var diagnosis = await Diagnostics(host).DiagnoseAsync(host.Support, cancellationToken: Ct);

        Assert.True(diagnosis.Succeeded, diagnosis.ToString());
        Assert.Equal(
            ["configuration", "credential", "tenant", "token", "claims",
             "imap.connect", "imap.sasl", "imap.login", "imap.inbox",
             "pop3.connect", "pop3.sasl", "pop3.login", "pop3.mailbox",
             "smtp.connect", "smtp.sasl", "smtp.login", "smtp.mail-from"],
            diagnosis.Steps.Select(step => step.Name));
        Assert.All(diagnosis.Steps, step => Assert.Equal(DiagnosisOutcome.Passed, step.Outcome));
        Assert.Contains("IMAP.AccessAsApp", diagnosis.Steps.Single(s => s.Name == "claims").Evidence, StringComparison.Ordinal);
        Assert.Contains("250", diagnosis.Steps.Single(s => s.Name == "smtp.mail-from").Evidence, StringComparison.Ordinal);
        Assert.Empty(host.Emulator.Directory.FindMailbox(host.Support)!.Messages);
        Assert.Contains("Every step passed.", diagnosis.ToString(), StringComparison.Ordinal);
        var token = await host.Tokens.GetAccessTokenAsync(await host.AccountAsync(host.Support), MailProtocol.Imap, Ct);
        Assert.DoesNotContain(token.Token, diagnosis.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnoseAsync_AdminConsentMissing_ClaimsFailWithoutImapRole()
    {
        await using var host = await EmulatorHost.StartAsync();
        host.Emulator.Application.RevokeAppRoles(EmulatorApplication.ImapAccessAsApp);

        var failure = await FirstFailureAsync(host);

        Assert.Equal("claims", failure.Name);
        Assert.Contains("IMAP.AccessAsApp", failure.Fix, StringComparison.Ordinal);
        Assert.Contains("admin consent", failure.Fix, StringComparison.Ordinal);
        Assert.Contains("IMAP: TCP and TLS", failure.Blocks[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnoseAsync_NoExchangeServicePrincipal_ImapLoginFailsNamingNewServicePrincipal()
    {
        await using var host = await EmulatorHost.StartAsync();
        host.Emulator.Application.ExchangeServicePrincipal = false;

        var failure = await FirstFailureAsync(host);

        Assert.Equal("imap.login", failure.Name);
        Assert.Contains("New-ServicePrincipal", failure.Fix, StringComparison.Ordinal);
        Assert.Contains("AUTHENTICATE failed", failure.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnoseAsync_NoMailboxPermission_ImapFailsNamingAddMailboxPermission()
    {
        await using var host = await EmulatorHost.StartAsync();
        host.Emulator.Directory.FindMailbox(host.Support)!.RevokeFullAccess(host.Emulator.Application);

        var failure = await FirstFailureAsync(host);

        Assert.StartsWith("imap.", failure.Name, StringComparison.Ordinal);
        Assert.Contains("Add-MailboxPermission", failure.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnoseAsync_SmtpAuthDisabled_SmtpLoginFailsNamingSetCasMailbox()
    {
        await using var host = await EmulatorHost.StartAsync();
        host.Emulator.Directory.FindMailbox(host.Support)!.SmtpAuthEnabled = false;

        var failure = await FirstFailureAsync(host);

        Assert.Equal("smtp.login", failure.Name);
        Assert.Equal(ModernAuthErrorCategory.ProtocolDisabled, failure.Category);
        Assert.Contains("SmtpClientAuthentication", failure.Fix, StringComparison.Ordinal);
        Assert.Contains("5.7.139", failure.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnoseAsync_WrongTenant_TenantStepFailsInEntrasWords()
    {
        await using var host = await EmulatorHost.StartAsync(builder =>
            builder.AddCloudProvider("emulator", provider => provider.TenantId = Guid.NewGuid().ToString()));

        var failure = await FirstFailureAsync(host);

        Assert.Equal("tenant", failure.Name);
        Assert.Equal(ModernAuthErrorCategory.TenantNotFound, failure.Category);
        Assert.Contains("AADSTS90002", failure.Evidence, StringComparison.Ordinal);
        Assert.Contains("Directory (tenant) ID", failure.Fix, StringComparison.Ordinal);
        Assert.Equal(0, host.Emulator.Identity.Counters.TokenRequests);
    }

    [Fact]
    public async Task DiagnoseAsync_ExpiredSecret_TokenStepFailsWithRenewal()
    {
        await using var host = await EmulatorHost.StartAsync();
        host.Emulator.ClientSecret.ExpiresOn = host.EmulatorTime.GetUtcNow().AddDays(-1);

        var failure = await FirstFailureAsync(host);

        Assert.Equal("token", failure.Name);
        Assert.Equal(ModernAuthErrorCategory.ClientSecretExpired, failure.Category);
        Assert.Contains("AADSTS7000222", failure.Evidence, StringComparison.Ordinal);
        Assert.Contains("Certificates & secrets", failure.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnoseAsync_ExpiredSecretKnownToTheHost_ConfigurationFailsBeforeAnyRequest()
    {
        await using var host = await EmulatorHost.StartAsync(builder =>
            builder.AddCloudProvider("emulator", provider => provider.SecretExpiresOn = DateTimeOffset.UtcNow.AddDays(-2)));

        var failure = await FirstFailureAsync(host);

        Assert.Equal("configuration", failure.Name);
        Assert.Contains("ClientSecret and SecretExpiresOn", failure.Fix, StringComparison.Ordinal);
        Assert.Equal(0, host.Emulator.Identity.Counters.TokenRequests);
    }

    [Fact]
    public async Task DiagnoseAsync_SecretIdPastedInsteadOfValue_TokenStepFailsNamingTheValueColumn()
    {
        await using var host = await EmulatorHost.StartAsync((builder, emulator) =>
            builder.AddCloudProvider("emulator", provider => provider.ClientSecret = emulator.ClientSecret.SecretId));

        var failure = await FirstFailureAsync(host);

        Assert.Equal("token", failure.Name);
        Assert.Equal(ModernAuthErrorCategory.InvalidClientSecret, failure.Category);
        Assert.Contains("AADSTS7000215", failure.Evidence, StringComparison.Ordinal);
        Assert.Contains("Value", failure.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Emulator.ClientSecret.SecretId, failure.Evidence + failure.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnoseAsync_GraphScope_ConfigurationStepFailsNamingTheExchangeScope()
    {
        await using var host = await EmulatorHost.StartAsync(builder =>
            builder.AddCloudProvider("emulator", provider => provider.Scopes.Add("https://graph.microsoft.com/.default")));

        var failure = await FirstFailureAsync(host);

        Assert.Equal("configuration", failure.Name);
        Assert.Contains("Microsoft Graph scope", failure.Evidence, StringComparison.Ordinal);
        Assert.Contains("https://outlook.office365.com/.default", failure.Fix, StringComparison.Ordinal);
        Assert.Equal(0, host.Emulator.Identity.Counters.TokenRequests);
    }

    [Fact]
    public async Task DiagnoseAsync_FederatedCredentialSubjectMismatch_TokenStepFailsInEntrasWords()
    {
        var file = Path.Combine(Path.GetTempPath(), $"xcally-federated-{Guid.NewGuid():N}");
        EmulatorWorkloadIssuer? cluster = null;
        try
        {
            await using var host = await EmulatorHost.StartAsync((builder, emulator) =>
            {
                cluster = new EmulatorWorkloadIssuer("https://oidc.cluster.test/diagnosis/", emulator.TimeProvider);
                emulator.Directory.AddExternalIssuer(cluster);
                emulator.Application.AddFederatedCredential(cluster.Issuer, "system:serviceaccount:mail:channel");
                builder.AddCloudProvider("emulator", o =>
                {
                    o.ClientSecret = null;
                    o.FederatedTokenFile = file;
                });
            });
            await File.WriteAllTextAsync(file, cluster!.IssueToken("system:serviceaccount:mail:other"), Ct);

            var failure = await FirstFailureAsync(host);

            Assert.Equal("token", failure.Name);
            Assert.Contains("AADSTS700213", failure.Evidence, StringComparison.Ordinal);
            Assert.Contains("system:serviceaccount:mail:other", failure.Evidence, StringComparison.Ordinal);
            Assert.Contains("ederated", failure.Fix, StringComparison.Ordinal);
        }
        finally
        {
            cluster?.Dispose();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task DiagnoseAsync_CheapScope_NoMailServerAndNoSecondTokenRequest()
    {
        await using var host = await EmulatorHost.StartAsync();
        var diagnostics = Diagnostics(host);

        var first = await diagnostics.DiagnoseAsync(host.Support, DiagnosisScope.Cheap, Ct);
        var second = await diagnostics.DiagnoseAsync(host.Support, DiagnosisScope.Cheap, Ct);

        Assert.True(second.Succeeded, second.ToString());
        Assert.Equal(["configuration", "credential", "token", "claims"], first.Steps.Select(step => step.Name));
        Assert.Equal(1, host.Emulator.Identity.Counters.TokenRequests);
        Assert.Equal(0, host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Imap).Succeeded + host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Imap).Failed);
    }

    [Fact]
    public async Task DiagnoseAsync_UnknownAccount_ConfigurationFailsAndBlocksTheRest()
    {
        await using var host = await EmulatorHost.StartAsync();

        var diagnosis = await Diagnostics(host).DiagnoseAsync("nobody@example.com", cancellationToken: Ct);

        var failure = Assert.Single(diagnosis.Steps);
        Assert.Equal("configuration", failure.Name);
        Assert.Contains("EmailAccounts", failure.Fix, StringComparison.Ordinal);
        Assert.Contains("A token", failure.Blocks);
        Assert.EndsWith("#step-configuration", failure.HelpLink.AbsoluteUri, StringComparison.Ordinal);
    }

    private static IModernAuthDiagnostics Diagnostics(EmulatorHost host) => host.Services.GetRequiredService<IModernAuthDiagnostics>();

    private static async Task<DiagnosisStep> FirstFailureAsync(EmulatorHost host)
    {
        var diagnosis = await Diagnostics(host).DiagnoseAsync(host.Support, cancellationToken: Ct);
        var failure = diagnosis.FirstFailure;
        Assert.True(failure is not null, diagnosis.ToString());
        Assert.Same(failure, diagnosis.Steps[^1]);
        Assert.All(diagnosis.Steps.SkipLast(1), step => Assert.NotEqual(DiagnosisOutcome.Failed, step.Outcome));
        Assert.NotNull(failure.Fix);
        return failure;
    }
}
