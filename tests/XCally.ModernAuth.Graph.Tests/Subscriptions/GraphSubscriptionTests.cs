using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Graph.Tests.Infrastructure;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Graph.Tests.Subscriptions;

/// <summary>
/// Change notifications end to end: an ASP.NET Core host serving MapGraphNotifications on loopback, the emulator's Graph posting
/// to it (validation handshake, notifications with clientState, lifecycle events), the subscription renewed before it expires.
/// </summary>
public sealed class GraphSubscriptionTests
{
    [Fact]
    public async Task Subscription_ReceivesNotification_IsRenewedBeforeExpiry_AndMissedTriggersDeltaResync()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await ModernAuthEmulator.StartAsync(new ModernAuthEmulatorOptions { TimeProvider = time }, TestContext.Current.CancellationToken);
        var support = emulator.Mailboxes.Single(m => m.Address.StartsWith("support@", StringComparison.Ordinal));
        var changes = new ConcurrentQueue<GraphMailChange>();
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/graph/notifications");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IGraphMailChangeHandler>(new RecordingHandler(changes));
        builder.Services.AddXCallyModernAuth().UseEmulator(emulator).UseGraphEmulator(emulator).AddGraphNotifications(options =>
        {
            options.NotificationUrl = url;
            options.Lifetime = TimeSpan.FromDays(1);
            options.RenewBefore = TimeSpan.FromHours(1);
            options.CheckInterval = TimeSpan.FromDays(2);
        });
        await using var app = builder.Build();
        app.MapGraphNotifications("/graph/notifications");
        await app.StartAsync(TestContext.Current.CancellationToken);
        var subscriptions = app.Services.GetRequiredService<GraphSubscriptions>();

        var id = await subscriptions.SubscribeAsync(support.Address, TestContext.Current.CancellationToken);

        // A notification, with the clientState the host set.
        support.Deliver(GraphTestHost.Message("customer@example.com", support.Address, "notified"));
        await WaitAsync(() => changes.Any(c => c.Kind == GraphMailChangeKind.MessageCreated));
        Assert.Equal(id, changes.Single().SubscriptionId);
        var transport = await app.Services.GetRequiredService<IMailTransports>().GetAsync(support.Address, TestContext.Current.CancellationToken);
        var first = await transport.ReadNewAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("notified", Assert.Single(first.Messages).Message.Subject);
        await transport.CommitAsync(first, TestContext.Current.CancellationToken);

        // Renewed before it expires: nothing happens an hour and a half before, the check within the last hour renews it.
        time.Advance(TimeSpan.FromHours(22.5));
        Assert.Equal(0, await subscriptions.RenewDueAsync(TestContext.Current.CancellationToken));
        time.Advance(TimeSpan.FromMinutes(35));
        Assert.Equal(1, await subscriptions.RenewDueAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, emulator.Graph.ActiveSubscriptions.Single().Renewals);
        Assert.True(emulator.Graph.ActiveSubscriptions.Single().Expiration > time.GetUtcNow().AddHours(23));

        // Notifications lost while the endpoint was "down", then a missed lifecycle event: delta finds the message.
        emulator.Graph.NotificationsPaused = true;
        support.Deliver(GraphTestHost.Message("customer@example.com", support.Address, "missed"));
        emulator.Graph.NotificationsPaused = false;
        Assert.Equal(202, await emulator.Graph.SendLifecycleNotificationAsync(id, "missed", TestContext.Current.CancellationToken));
        await WaitAsync(() => changes.Any(c => c.Kind == GraphMailChangeKind.ResyncRequired));
        var resync = await transport.ReadNewAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("missed", Assert.Single(resync.Messages).Message.Subject);
        Assert.Equal(1, emulator.Graph.NotificationsDelivered);

        // A removed subscription is made again, and the folder resynced.
        await emulator.Graph.SendLifecycleNotificationAsync(id, "subscriptionRemoved", TestContext.Current.CancellationToken);
        await WaitAsync(() => changes.Count(c => c.Kind == GraphMailChangeKind.ResyncRequired) == 2);
        Assert.NotEqual(id, emulator.Graph.ActiveSubscriptions.Single().Id);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Endpoint_WrongClientState_IsIgnored()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var changes = new ConcurrentQueue<GraphMailChange>();
        builder.Services.AddSingleton<IGraphMailChangeHandler>(new RecordingHandler(changes));
        builder.Services.AddXCallyModernAuth().AddGraphNotifications(options => options.NotificationUrl = new Uri("https://mail.contoso.com/graph/notifications"));
        await using var app = builder.Build();
        app.MapGraphNotifications();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = new HttpClient { BaseAddress = address };

        using var validation = await client.PostAsync(new Uri("/graph/notifications?validationToken=%3Cscript%3E", UriKind.Relative), null, TestContext.Current.CancellationToken);
        using var forged = await client.PostAsync(
            new Uri("/graph/notifications", UriKind.Relative),
            new StringContent("""{"value":[{"subscriptionId":"made-up","clientState":"guess","changeType":"created"}]}""", System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        Assert.Equal("text/plain", validation.Content.Headers.ContentType?.MediaType);
        Assert.Equal("<script>", await validation.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Accepted, forged.StatusCode);
        Assert.Empty(changes);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitAsync(Func<bool> condition, [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
    {
        // Polls until the background notification arrives; a generous bound turns a lost one into a failure, not a hang.
        for (var i = 0; !condition(); i++)
        {
            Assert.True(i < 3000, $"The condition awaited at line {line} did not come true.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private sealed class RecordingHandler(ConcurrentQueue<GraphMailChange> changes) : IGraphMailChangeHandler
    {
        public Task OnMailChangedAsync(GraphMailChange change, CancellationToken cancellationToken)
        {
            changes.Enqueue(change);
            return Task.CompletedTask;
        }
    }
}
