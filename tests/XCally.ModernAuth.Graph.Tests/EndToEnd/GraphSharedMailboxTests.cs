using System.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Graph.Tests.Infrastructure;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Graph.Tests.EndToEnd;

/// <summary>
/// A shared mailbox over Microsoft Graph with an agent's delegated sign-in (<see cref="EmailAccount.SignInUser"/>): the agent's one
/// sign-in gives the Graph token, and the transport works on <c>/users/{shared}</c> with the <c>.Shared</c> permissions.
/// </summary>
public sealed class GraphSharedMailboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAndReadAsync_SharedMailboxServedByAnAgentsSignIn_SendsAsTheSharedMailboxAndReadsIt()
    {
        await using var emulator = await ModernAuthEmulator.StartAsync(cancellationToken: Ct);
        var agent = emulator.AddUserWithMailbox("agent").Owner!;
        var support = emulator.GrantFullAccess("support", agent);
        emulator.GrantSendAs("support", agent);
        await using var services = Build(emulator);
        await SignInAsync(services, emulator, agent.UserPrincipalName);
        var sales = $"sales@{emulator.Tenant.Domain}";
        var account = await services.GetRequiredService<IEmailAccountStore>().FindAsync(support.Address, Ct);
        support.Deliver(GraphTestHost.Message(sales, support.Address, "Question for support"));

        var transport = await services.GetRequiredService<IMailTransports>().GetAsync(support.Address, Ct);
        await transport.SendAsync(GraphTestHost.Message(support.Address, sales, "Answer from support"), Ct);
        var batch = await transport.ReadNewAsync(cancellationToken: Ct);

        Assert.Equal(agent.UserPrincipalName, account!.SignInUser);
        Assert.Equal(MailTransport.Graph, transport.Kind);
        var answer = Assert.Single(emulator.Directory.FindMailbox(sales)!.Messages);
        Assert.Equal(support.Address, answer.From.Mailboxes.Single().Address);
        Assert.Single(support.GetMessages(EmulatorMailbox.SentItems));
        Assert.Equal("Question for support", Assert.Single(batch.Messages).Message.Subject);

        // The agent's one sign-in (consenting to Graph too) and one Graph token from its refresh token serve the shared mailbox.
        Assert.Equal(1, emulator.Identity.Counters.TokenRequestsForGrantType("authorization_code"));
        Assert.Equal(1, emulator.Identity.Counters.TokenRequestsForGrantType("refresh_token"));
    }

    [Fact]
    public async Task SendAsync_AgentWithoutSendAs_GraphsErrorSendAsDeniedMappedToTheRecipientPermissionCmdlet()
    {
        await using var emulator = await ModernAuthEmulator.StartAsync(cancellationToken: Ct);
        var agent = emulator.AddUserWithMailbox("agent").Owner!;
        var support = emulator.GrantFullAccess("support", agent);
        await using var services = Build(emulator);
        await SignInAsync(services, emulator, agent.UserPrincipalName);
        var sales = $"sales@{emulator.Tenant.Domain}";

        var transport = await services.GetRequiredService<IMailTransports>().GetAsync(support.Address, Ct);
        var refusal = await Assert.ThrowsAsync<ModernAuthException>(() => transport.SendAsync(GraphTestHost.Message(support.Address, sales, "Answer from support"), Ct));

        Assert.Equal(ModernAuthErrorCategory.SendAsDenied, refusal.Category);
        Assert.Contains($"Add-RecipientPermission -Identity {support.Address} -Trustee <user> -AccessRights SendAs", refusal.Advice, StringComparison.Ordinal);
        Assert.Empty(emulator.Directory.FindMailbox(sales)!.Messages);
    }

    private static ServiceProvider Build(ModernAuthEmulator emulator)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug));
        collection.AddXCallyModernAuth().UseEmulator(emulator, flow: AuthFlow.Delegated).UseMemoryTokenCache().UseGraphEmulator(emulator);
        collection.PostConfigure<ModernAuthOptions>(options =>
        {
            var provider = options.CloudProviders["emulator"];
            foreach (var scope in new[] { "Mail.ReadWrite", "Mail.Send", "Mail.ReadWrite.Shared", "Mail.Send.Shared", "offline_access" })
            {
                provider.GraphScopes.Add(scope);
            }
        });
        var services = collection.BuildServiceProvider();
        services.GetRequiredService<IStartupValidator>().Validate();
        return services;
    }

    private static async Task SignInAsync(IServiceProvider services, ModernAuthEmulator emulator, string agent)
    {
        var authorization = services.GetRequiredService<IModernAuthAuthorization>();
        var account = await services.GetRequiredService<IEmailAccountStore>().FindAsync(agent, Ct);
        var url = await authorization.BeginAsync(account!, cancellationToken: Ct);
        var callback = HttpUtility.ParseQueryString((await emulator.SignInAsync(url, Ct)).Query);
        await authorization.CompleteAsync(callback["code"]!, callback["state"]!, Ct);
    }
}
