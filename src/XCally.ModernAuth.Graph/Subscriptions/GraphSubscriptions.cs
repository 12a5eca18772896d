using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;
using XCally.ModernAuth.Graph.Internal;

namespace XCally.ModernAuth.Graph;

/// <summary>
/// Change-notification subscriptions on accounts' folders: created with a random <c>clientState</c> per subscription, renewed
/// before they expire, reauthorized or made again on lifecycle events, and their notifications checked and handed to the
/// registered <see cref="IGraphMailChangeHandler"/>s. Runs as a hosted service; serve its endpoint with <c>MapGraphNotifications</c>.
/// Hosts without a public HTTPS endpoint poll with <see cref="IMailTransport.ReadNewAsync"/> (delta) instead. Thread-safe.
/// </summary>
public sealed partial class GraphSubscriptions : IHostedService, IAsyncDisposable
{
    private readonly IMailTransports _transports;
    private readonly IOptions<GraphNotificationOptions> _options;
    private readonly IEnumerable<IGraphMailChangeHandler> _handlers;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GraphSubscriptions> _logger;
    private readonly ConcurrentDictionary<string, Entry> _subscriptions = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;

    internal GraphSubscriptions(IMailTransports transports, IOptions<GraphNotificationOptions> options, IEnumerable<IGraphMailChangeHandler> handlers, TimeProvider timeProvider, ILogger<GraphSubscriptions> logger)
    {
        _transports = transports;
        _options = options;
        _handlers = handlers;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The subscriptions this host holds: id, account and expiry.</summary>
    public IReadOnlyList<(string Id, string AccountAddress, DateTimeOffset Expiration)> Active =>
        [.. _subscriptions.Select(pair => (pair.Key, pair.Value.Account.Address, pair.Value.Expiration))];

    /// <summary>Subscribes to new mail in an account's folder (<see cref="GraphNotificationOptions.Folder"/>); Graph first checks the endpoint.</summary>
    /// <param name="accountAddress">An account whose Transport is Graph.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The subscription's id.</returns>
    /// <exception cref="ModernAuthException">Graph refused (the endpoint did not answer the validation, a permission is missing…).</exception>
    public async Task<string> SubscribeAsync(string accountAddress, CancellationToken cancellationToken = default)
    {
        var transport = await GraphTransportAsync(accountAddress, cancellationToken).ConfigureAwait(false);
        var options = _options.Value;
        var notificationUrl = options.NotificationUrl ?? throw new ModernAuthException(
            ModernAuthErrorCategory.InvalidConfiguration,
            "GraphNotificationOptions.NotificationUrl is not set, so Graph has nowhere to post notifications.",
            "Set it to the public HTTPS URL of the endpoint mapped with MapGraphNotifications, or poll with ReadNewAsync (delta) instead.");
        var clientState = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var expiration = _timeProvider.GetUtcNow() + options.Lifetime;
        var folder = MailFolderNames.IsWellKnown(options.Folder) ? options.Folder.ToLowerInvariant() : options.Folder;
        var subscription = await CallAsync(transport, "create a subscription", async graph => await graph.Service.Subscriptions.PostAsync(
            new Subscription
            {
                ChangeType = "created",
                NotificationUrl = notificationUrl.ToString(),
                LifecycleNotificationUrl = (options.LifecycleNotificationUrl ?? new Uri(notificationUrl.ToString().TrimEnd('/') + "/lifecycle")).ToString(),
                Resource = $"users/{transport.Account.Address}/mailFolders('{folder}')/messages",
                ExpirationDateTime = expiration,
                ClientState = clientState,
            },
            cancellationToken: cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var id = subscription?.Id ?? throw new InvalidOperationException("Graph returned no subscription id.");
        _subscriptions[id] = new Entry(transport.Account, clientState, subscription.ExpirationDateTime ?? expiration);
        LogSubscribed(transport.Account.Address, id, subscription.ExpirationDateTime ?? expiration);
        return id;
    }

    /// <summary>Renews every subscription that expires within <see cref="GraphNotificationOptions.RenewBefore"/> (the hosted service calls this on a timer).</summary>
    /// <param name="cancellationToken">Cancels the renewals.</param>
    /// <returns>How many were renewed.</returns>
    public async Task<int> RenewDueAsync(CancellationToken cancellationToken = default)
    {
        var options = _options.Value;
        var now = _timeProvider.GetUtcNow();
        var renewed = 0;
        foreach (var (id, entry) in _subscriptions.ToArray())
        {
            if (entry.Expiration - now > options.RenewBefore)
            {
                continue;
            }

            try
            {
                await RenewAsync(id, entry, now + options.Lifetime, cancellationToken).ConfigureAwait(false);
                renewed++;
            }
            catch (ModernAuthException exception) when (exception.Category == ModernAuthErrorCategory.RequestRejected)
            {
                // Gone at Graph (expired meanwhile): make a new one and have the folder read by delta.
                _subscriptions.TryRemove(id, out _);
                await ResubscribeAsync(entry.Account.Address, id, cancellationToken).ConfigureAwait(false);
            }
        }

        return renewed;
    }

    /// <summary>Unsubscribes from everything this host subscribed to.</summary>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>A task that completes when Graph deleted them.</returns>
    public async Task UnsubscribeAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (id, entry) in _subscriptions.ToArray())
        {
            var transport = await GraphTransportAsync(entry.Account.Address, cancellationToken).ConfigureAwait(false);
            await CallAsync(transport, "delete a subscription", async graph =>
            {
                await graph.Service.Subscriptions[id].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
            _subscriptions.TryRemove(id, out _);
        }
    }

    /// <inheritdoc />
    Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        var interval = _options.Value.CheckInterval;
        _timer = _timeProvider.CreateTimer(_ => _ = RenewQuietlyAsync(), null, interval, interval);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Handles one POST of notifications (or lifecycle events); returns how many were accepted.</summary>
    internal int Accept(JsonDocument body)
    {
        var accepted = 0;
        if (!body.RootElement.TryGetProperty("value", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        foreach (var item in items.EnumerateArray())
        {
            var id = item.TryGetProperty("subscriptionId", out var s) ? s.GetString() : null;
            var state = item.TryGetProperty("clientState", out var c) ? c.GetString() : null;
            if (id is null || !_subscriptions.TryGetValue(id, out var entry) || !SameSecret(state, entry.ClientState))
            {
                LogRejected(id ?? "(none)");
                continue;
            }

            accepted++;
            var lifecycle = item.TryGetProperty("lifecycleEvent", out var l) ? l.GetString() : null;
            var messageId = item.TryGetProperty("resourceData", out var data) && data.TryGetProperty("id", out var m) ? m.GetString() : null;
            _ = Task.Run(() => DispatchAsync(id, entry, lifecycle, messageId));
        }

        return accepted;
    }

    private static bool SameSecret(string? received, string expected) =>
        received is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(received), Encoding.UTF8.GetBytes(expected));

    private async Task DispatchAsync(string id, Entry entry, string? lifecycle, string? messageId)
    {
        var cancellationToken = _stopping.Token;
        try
        {
            switch (lifecycle)
            {
                case null:
                    await NotifyAsync(new GraphMailChange(entry.Account.Address, GraphMailChangeKind.MessageCreated, id, messageId), cancellationToken).ConfigureAwait(false);
                    break;
                case "reauthorizationRequired":
                    var transport = await GraphTransportAsync(entry.Account.Address, cancellationToken).ConfigureAwait(false);
                    await CallAsync(transport, "reauthorize a subscription", async graph =>
                    {
                        await graph.Service.Subscriptions[id].Reauthorize.PostAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                        return 0;
                    }, cancellationToken).ConfigureAwait(false);
                    await RenewAsync(id, entry, _timeProvider.GetUtcNow() + _options.Value.Lifetime, cancellationToken).ConfigureAwait(false);
                    break;
                case "subscriptionRemoved":
                    _subscriptions.TryRemove(id, out _);
                    await ResubscribeAsync(entry.Account.Address, id, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    // "missed" and any event to come: notifications may have been lost, so the folder is read by delta.
                    LogResync(entry.Account.Address, lifecycle);
                    await NotifyAsync(new GraphMailChange(entry.Account.Address, GraphMailChangeKind.ResyncRequired, id, null), cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception exception) when (exception is ModernAuthException or OperationCanceledException or HttpRequestException)
        {
            LogHandlingFailed(entry.Account.Address, lifecycle ?? "created", exception.Message);
        }
    }

    private async Task ResubscribeAsync(string accountAddress, string oldId, CancellationToken cancellationToken)
    {
        var id = await SubscribeAsync(accountAddress, cancellationToken).ConfigureAwait(false);
        await NotifyAsync(new GraphMailChange(accountAddress, GraphMailChangeKind.ResyncRequired, id, null), cancellationToken).ConfigureAwait(false);
        LogResubscribed(accountAddress, oldId, id);
    }

    private async Task NotifyAsync(GraphMailChange change, CancellationToken cancellationToken)
    {
        foreach (var handler in _handlers)
        {
            await handler.OnMailChangedAsync(change, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RenewAsync(string id, Entry entry, DateTimeOffset expiration, CancellationToken cancellationToken)
    {
        var transport = await GraphTransportAsync(entry.Account.Address, cancellationToken).ConfigureAwait(false);
        var renewed = await CallAsync(transport, "renew a subscription", async graph => await graph.Service.Subscriptions[id].PatchAsync(
            new Subscription { ExpirationDateTime = expiration }, cancellationToken: cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        _subscriptions[id] = entry with { Expiration = renewed?.ExpirationDateTime ?? expiration };
        LogRenewed(entry.Account.Address, id, renewed?.ExpirationDateTime ?? expiration);
    }

    private async Task RenewQuietlyAsync()
    {
        try
        {
            await RenewDueAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ModernAuthException or OperationCanceledException or HttpRequestException or ObjectDisposedException)
        {
            LogHandlingFailed("(renewal)", "renew", exception.Message);
        }
    }

    private async Task<GraphMailTransport> GraphTransportAsync(string accountAddress, CancellationToken cancellationToken) =>
        await _transports.GetAsync(accountAddress, cancellationToken).ConfigureAwait(false) as GraphMailTransport
            ?? throw new ModernAuthException(
                ModernAuthErrorCategory.InvalidConfiguration,
                $"Email account '{accountAddress}' does not use Transport Graph, so Graph notifications cannot be subscribed for it.",
                "Set the account's Transport to Graph, or read it over IMAP (IDLE) instead.")
            {
                AccountAddress = accountAddress,
            };

    private static async Task<T> CallAsync<T>(GraphMailTransport transport, string operation, Func<GraphClient, Task<T>> call, CancellationToken cancellationToken)
    {
        var graph = await transport.ClientAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await call(graph).ConfigureAwait(false);
        }
        catch (ApiException exception)
        {
            throw GraphErrors.Translate(exception, transport.Account, operation, graph.ClientId);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Subscribed to new mail of {Account} through Microsoft Graph (subscription {Subscription}, until {Expiration:O}).")]
    private partial void LogSubscribed(string account, string subscription, DateTimeOffset expiration);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Renewed the Graph subscription {Subscription} of {Account} until {Expiration:O}.")]
    private partial void LogRenewed(string account, string subscription, DateTimeOffset expiration);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "A Graph notification for subscription {Subscription} was rejected: unknown subscription or wrong clientState.")]
    private partial void LogRejected(string subscription);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Graph sent the lifecycle event {LifecycleEvent} for {Account}: its folder is read again by delta.")]
    private partial void LogResync(string account, string lifecycleEvent);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "The Graph subscription {Old} of {Account} was removed; subscribed again as {New}.")]
    private partial void LogResubscribed(string account, string old, string @new);

    [LoggerMessage(EventId = 15, Level = LogLevel.Error, Message = "Handling a Graph notification ({What}) for {Account} failed: {Error}")]
    private partial void LogHandlingFailed(string account, string what, string error);

    private sealed record Entry(EmailAccount Account, string ClientState, DateTimeOffset Expiration);
}
