using Microsoft.Extensions.DependencyInjection;
using XCally.ModernAuth.Graph.Tests.Infrastructure;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Graph.Tests.Errors;

/// <summary>Graph's refusals on the emulator become ModernAuthExceptions with the category, Graph's words and the fix.</summary>
public sealed class GraphRefusalTests
{
    [Fact]
    public async Task SendAsync_MailboxOutsideRbacScope_IsMailboxAuthenticationFailed_WithTheCmdlets()
    {
        await using var host = await GraphTestHost.StartAsync();
        host.Emulator.Application.ScopeGraphAccessTo(host.Sales);
        var transport = await host.Transports.GetAsync(host.Support, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => transport.SendAsync(GraphTestHost.Message(host.Support, host.Sales, "blocked"), TestContext.Current.CancellationToken));

        Assert.Equal(ModernAuthErrorCategory.MailboxAuthenticationFailed, error.Category);
        Assert.Equal("ErrorAccessDenied", error.ErrorCode);
        Assert.Contains("[RAOP]", error.ServerResponse, StringComparison.Ordinal);
        Assert.Contains("New-ManagementRoleAssignment -App " + host.Emulator.Application.ClientId, error.Advice, StringComparison.Ordinal);
        Assert.Contains("-CustomResourceScope", error.Advice, StringComparison.Ordinal);
        Assert.Contains(host.Support, error.Advice, StringComparison.Ordinal);

        // The mailbox in scope still works, and IMAP is not affected by RBAC for Applications.
        await (await host.Transports.GetAsync(host.Sales, TestContext.Current.CancellationToken)).SendAsync(GraphTestHost.Message(host.Sales, host.Support, "allowed"), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task SendAsync_MailSendNotGranted_IsConsentRequired()
    {
        await using var host = await GraphTestHost.StartAsync();
        host.Emulator.Application.RevokeAppRoles(EmulatorApplication.GraphMailSend);
        var transport = await host.Transports.GetAsync(host.Support, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => transport.SendAsync(GraphTestHost.Message(host.Support, host.Sales, "no permission"), TestContext.Current.CancellationToken));

        Assert.Equal(ModernAuthErrorCategory.ConsentRequired, error.Category);
        Assert.Contains("Grant admin consent", error.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ThrottledBeyondRetries_IsThrottled_WithRetryAfter()
    {
        await using var host = await GraphTestHost.StartAsync(configure: builder => builder.AddGraphTransport(options => options.MaxRetries = 0));
        host.Emulator.Graph.InjectFault(EmulatorGraphFault.TooManyRequests(TimeSpan.FromSeconds(30)), times: 5);
        var transport = await host.Transports.GetAsync(host.Support, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => transport.SendAsync(GraphTestHost.Message(host.Support, host.Sales, "throttled"), TestContext.Current.CancellationToken));

        Assert.Equal(ModernAuthErrorCategory.Throttled, error.Category);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Equal("ApplicationThrottled", error.ErrorCode);
    }

    [Fact]
    public async Task SendAsync_ThrottledOnce_IsRetriedAfterRetryAfter_AndSucceeds()
    {
        await using var host = await GraphTestHost.StartAsync();
        host.Emulator.Graph.InjectFault(EmulatorGraphFault.TooManyRequests(TimeSpan.FromSeconds(1)), times: 1);
        var transport = await host.Transports.GetAsync(host.Support, TestContext.Current.CancellationToken);

        await transport.SendAsync(GraphTestHost.Message(host.Support, host.Sales, "after a wait"), TestContext.Current.CancellationToken);

        Assert.Equal(2, host.Emulator.Graph.RequestCount("sendMail"));
        Assert.Equal(1, host.Emulator.Graph.RequestCount("faulted"));
        Assert.Single(host.Emulator.Mailboxes.Single(m => m.Address == host.Sales).Messages);
    }

    [Fact]
    public async Task SendAsync_ServiceUnavailableBeyondRetries_IsTransient()
    {
        await using var host = await GraphTestHost.StartAsync(configure: builder => builder.AddGraphTransport(options => options.MaxRetries = 0));
        host.Emulator.Graph.InjectFault(EmulatorGraphFault.ServiceUnavailable(TimeSpan.FromSeconds(5)));
        var transport = await host.Transports.GetAsync(host.Support, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => transport.SendAsync(GraphTestHost.Message(host.Support, host.Sales, "down"), TestContext.Current.CancellationToken));

        Assert.Equal(ModernAuthErrorCategory.Transient, error.Category);
        Assert.Equal(TimeSpan.FromSeconds(5), error.RetryAfter);
    }

    [Fact]
    public async Task ReadNewAsync_UserWithoutMailbox_IsMailboxNotEnabledForRestApi()
    {
        await using var emulator = await ModernAuthEmulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var unlicensed = $"unlicensed@{emulator.Tenant.Domain}";
        emulator.Directory.AddUser(emulator.Tenant, unlicensed);
        await using var host = await GraphTestHost.StartAsync(emulator: emulator, configure: builder => builder.AddEmailAccount(unlicensed, "emulator", emulator.ConfigureEmailAccount));
        var transport = await host.Transports.GetAsync(unlicensed, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => transport.ReadNewAsync(cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ModernAuthErrorCategory.ProtocolDisabled, error.Category);
        Assert.Equal("MailboxNotEnabledForRESTAPI", error.ErrorCode);
        Assert.Contains("licence", error.Advice, StringComparison.Ordinal);
    }
}
