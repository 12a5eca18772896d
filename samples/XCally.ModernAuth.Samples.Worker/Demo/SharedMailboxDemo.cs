using System.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>
/// Emulator only: the channel's <c>support@</c> as an Exchange Online shared mailbox, served by an agent's delegated sign-in. The
/// agent holds Full Access and Send As on it (what <c>Add-MailboxPermission</c> and <c>Add-RecipientPermission</c> give in
/// Exchange Online); the SDK's delegated accounts for the emulator then name the agent in <see cref="EmailAccountOptions.SignInUser"/>,
/// and the agent signs in once when the host starts, the emulator playing the browser.
/// </summary>
public static class SharedMailboxDemo
{
    /// <summary>The local part of the agent who signs in.</summary>
    public const string AgentLocalPart = "agent";

    /// <summary>The local part of the shared mailbox the channel serves.</summary>
    public const string SharedLocalPart = "support";

    /// <summary>Adds the agent (a user with a mailbox of their own) and gives them Full Access and Send As on <c>support@</c>.</summary>
    /// <param name="emulator">The running emulator, whose options hold the <c>support</c> mailbox.</param>
    /// <returns>The agent's and the shared mailbox's addresses.</returns>
    public static (string Agent, string Shared) Arrange(ModernAuthEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        var agent = emulator.AddUserWithMailbox(AgentLocalPart).Owner!;
        var shared = $"{SharedLocalPart}@{emulator.Tenant.Domain}";
        emulator.GrantFullAccess(shared, agent);
        emulator.GrantSendAs(shared, agent);
        return (agent.UserPrincipalName, shared);
    }

    /// <summary>
    /// Registers the SDK on the emulator with delegated tokens (a memory token cache), the channel serving only the shared
    /// mailbox, and the agent's sign-in when the host starts. Call before <c>AddEmailChannel</c>, so that the sign-in runs
    /// before the channel starts.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="emulator">The running emulator, arranged with <see cref="Arrange"/>.</param>
    /// <param name="agent">The agent's address.</param>
    /// <param name="shared">The shared mailbox's address.</param>
    /// <returns>The SDK builder.</returns>
    public static IModernAuthBuilder AddSharedMailboxChannel(this IServiceCollection services, ModernAuthEmulator emulator, string agent, string shared)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddXCallyModernAuth().UseEmulator(emulator, flow: AuthFlow.Delegated).UseMemoryTokenCache();
        services.AddSingleton<IHostedService>(sp => new AgentSignIn(sp, emulator, agent));
        services.Configure<EmailChannelOptions>(options => options.Accounts.Add(shared));
        return builder;
    }

    /// <summary>Signs the agent in once, as an administrator would in a web host: the emulator plays the browser.</summary>
    private sealed class AgentSignIn(IServiceProvider services, ModernAuthEmulator emulator, string agent) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var authorization = services.GetRequiredService<IModernAuthAuthorization>();
            var accounts = services.GetRequiredService<IEmailAccountStore>();
            var account = await accounts.FindAsync(agent, cancellationToken)
                ?? throw new InvalidOperationException($"No email account with the address '{agent}' is configured.");
            if (await authorization.IsAuthorizedAsync(account, cancellationToken))
            {
                return;
            }

            var authorizeUrl = await authorization.BeginAsync(account, cancellationToken: cancellationToken);
            var callback = HttpUtility.ParseQueryString((await emulator.SignInAsync(authorizeUrl, cancellationToken)).Query);
            await authorization.CompleteAsync(callback["code"]!, callback["state"]!, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
