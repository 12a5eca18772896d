using MailKit;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using XCally.ModernAuth.Testing.Tests.Support;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

/// <summary>
/// App-only mail with no secret in the configuration: the host's managed identity (App Service's endpoint, found by MSAL from
/// IDENTITY_ENDPOINT and IDENTITY_HEADER), a federated credential backed by it, and a workload identity token file.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public class SecretlessCredentialTests
{
    private const string ServiceAccount = "system:serviceaccount:mail:channel";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectAllProtocols_SystemAssignedManagedIdentity_TokensFromTheManagedIdentityEndpointOnly()
    {
        EmulatorApplication? identity = null;
        await using var host = await EmulatorHost.StartAsync((builder, emulator) =>
        {
            identity = emulator.AddManagedIdentity();
            builder.AddCloudProvider("emulator", o => emulator.ConfigureManagedIdentityProvider(o, identity));
        });
        using var environment = ProcessEnvironment.Set(host.Emulator.Identity.ManagedIdentity.EnvironmentVariables);

        await SendReadAndFetchAsync(host);

        Assert.Equal(1, host.Emulator.Identity.ManagedIdentity.Requests);
        Assert.Equal(0, host.Emulator.Identity.Counters.TokenRequests);
        var token = await host.Tokens.GetAccessTokenAsync(await host.AccountAsync(host.Support), MailProtocol.Imap, Ct);
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token.Token);
        Assert.Equal(identity!.ClientId, jwt.GetClaim("appid").Value);
        Assert.Equal(identity.ServicePrincipalId, jwt.GetClaim("oid").Value);
    }

    [Fact]
    public async Task ConnectImap_UserAssignedManagedIdentityByClientId_SignsInAsThatIdentity()
    {
        EmulatorApplication? identity = null;
        await using var host = await EmulatorHost.StartAsync((builder, emulator) =>
        {
            // A system-assigned identity without mail permissions stands beside it: only the named one may be used.
            emulator.Identity.ManagedIdentity.SystemAssigned = emulator.Directory.AddManagedIdentity(emulator.Tenant, "web-app");
            identity = emulator.AddManagedIdentity("mail-identity", userAssigned: true);
            builder.AddCloudProvider("emulator", o => emulator.ConfigureManagedIdentityProvider(o, identity));
        });
        using var environment = ProcessEnvironment.Set(host.Emulator.Identity.ManagedIdentity.EnvironmentVariables);

        using var imap = await host.Connector.ConnectImapAsync(host.Support, Ct);

        Assert.True(imap.IsAuthenticated);
        var provider = await host.Services.GetRequiredService<ICloudProviderStore>().FindAsync("emulator", Ct);
        Assert.Equal($"managed identity (user-assigned, client id {identity!.ClientId})", provider!.Credential.Description);
    }

    [Fact]
    public async Task ConnectImap_ManagedIdentityNotGivenToTheResource_RefusedInTheEndpointsWords()
    {
        await using var host = await EmulatorHost.StartAsync((builder, emulator) =>
        {
            var identity = emulator.Directory.AddManagedIdentity(emulator.Tenant, "elsewhere");
            builder.AddCloudProvider("emulator", o =>
            {
                emulator.ConfigureManagedIdentityProvider(o, identity);
                o.ManagedIdentity = new ManagedIdentityOptions { ClientId = identity.ClientId };
            });
        });
        using var environment = ProcessEnvironment.Set(host.Emulator.Identity.ManagedIdentity.EnvironmentVariables);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectImapAsync(host.Support, Ct));

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, error.Category);
        Assert.Contains("No User Assigned or Delegated Managed Identity found", error.Message, StringComparison.Ordinal);
        Assert.Contains("Identity", error.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAllProtocols_FederatedCredentialBackedByManagedIdentity_AppRegistrationTokenWithoutSecret()
    {
        await using var host = await EmulatorHost.StartAsync((builder, emulator) =>
        {
            var identity = emulator.Directory.AddManagedIdentity(emulator.Tenant, "web-app");
            emulator.Identity.ManagedIdentity.SystemAssigned = identity;
            emulator.Identity.TrustManagedIdentity(emulator.Application, identity);
            builder.AddCloudProvider("emulator", o =>
            {
                o.ClientSecret = null;
                o.FederatedManagedIdentity = new ManagedIdentityOptions();
            });
        });
        using var environment = ProcessEnvironment.Set(host.Emulator.Identity.ManagedIdentity.EnvironmentVariables);

        await SendReadAndFetchAsync(host);

        Assert.Equal(1, host.Emulator.Identity.Counters.TokenRequests);
        Assert.Equal(1, host.Emulator.Identity.ManagedIdentity.Requests);
        var token = await host.Tokens.GetAccessTokenAsync(await host.AccountAsync(host.Support), MailProtocol.Imap, Ct);
        Assert.Equal(host.Emulator.Application.ClientId, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token.Token).GetClaim("appid").Value);
    }

    [Fact]
    public async Task ConnectAllProtocols_WorkloadIdentityTokenFile_FileReadAgainForEveryAssertion()
    {
        var file = Path.Combine(Path.GetTempPath(), $"xcally-federated-{Guid.NewGuid():N}");
        EmulatorWorkloadIssuer? cluster = null;
        try
        {
            await using var host = await EmulatorHost.StartAsync((builder, emulator) =>
            {
                cluster = new EmulatorWorkloadIssuer("https://oidc.cluster.test/7f3c/", emulator.TimeProvider);
                emulator.Directory.AddExternalIssuer(cluster);
                emulator.Application.AddFederatedCredential(cluster.Issuer, ServiceAccount);
                builder.AddCloudProvider("emulator", o =>
                {
                    o.ClientSecret = null;
                    o.FederatedTokenFile = $"%{FederatedTokenFileCredential.AzureFederatedTokenFileVariable}%";
                });
            });
            await File.WriteAllTextAsync(file, cluster!.IssueToken(ServiceAccount), Ct);
            using var environment = ProcessEnvironment.Set(new Dictionary<string, string> { [FederatedTokenFileCredential.AzureFederatedTokenFileVariable] = file });

            await SendReadAndFetchAsync(host);
            Assert.Equal(1, host.Emulator.Identity.Counters.TokenRequests);

            // The platform rotates the file; the next assertion is what the file says now, here a token of another service account.
            await File.WriteAllTextAsync(file, cluster.IssueToken("system:serviceaccount:mail:other"), Ct);
            var account = await host.AccountAsync(host.Support);
            await host.Tokens.InvalidateAsync(account, MailProtocol.Imap, await host.Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct), Ct);
            var error = await Assert.ThrowsAsync<ModernAuthException>(async () => await host.Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct));

            Assert.Equal("AADSTS700213", error.ErrorCode);
            Assert.Contains("system:serviceaccount:mail:other", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            cluster?.Dispose();
            File.Delete(file);
        }
    }

    private static async Task SendReadAndFetchAsync(EmulatorHost host)
    {
        var subject = $"Ticket {Guid.NewGuid():N}";
        await host.SendSupportToSalesAsync(subject, "Sent without a secret.");

        using (var imap = await host.Connector.ConnectImapAsync(host.Sales, Ct))
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, Ct);
            Assert.Equal(1, imap.Inbox.Count);
            await imap.DisconnectAsync(true, Ct);
        }

        using var pop3 = await host.Connector.ConnectPop3Async(host.Sales, Ct);
        Assert.Equal(subject, (await pop3.GetMessageAsync(0, Ct)).Subject);
        await pop3.DisconnectAsync(true, Ct);
    }
}
