using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Testing.Graph.Internal;

/// <summary>
/// The subscriptions: created after the subscriber's endpoint echoed the validation token, notified when mail reaches the
/// watched folder (until they expire), renewed by PATCH, and told of lifecycle events.
/// </summary>
internal sealed class GraphSubscriptionStore(EmulatorGraph graph)
{
    private readonly ConcurrentDictionary<string, EmulatorGraphSubscription> _subscriptions = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<EmulatorMailbox, byte> _watched = new();
    private int _delivered;

    public int Delivered => Volatile.Read(ref _delivered);

    public EmulatorGraphSubscription[] Snapshot() => [.. _subscriptions.Values];

    public EmulatorGraphSubscription? Find(string id) => _subscriptions.GetValueOrDefault(id);

    public void Add(EmulatorGraphSubscription subscription)
    {
        _subscriptions[subscription.Id] = subscription;
        if (_watched.TryAdd(subscription.Mailbox, 0))
        {
            subscription.Mailbox.MessageDelivered += OnDelivered;
        }
    }

    public bool Remove(string id) => _subscriptions.TryRemove(id, out _);

    /// <summary>Graph's validation handshake: a POST with <c>validationToken</c> that must be echoed as text/plain within 10 seconds.</summary>
    public static async Task<bool> ValidateEndpointAsync(Uri url, CancellationToken cancellationToken)
    {
        var token = "Validation: Testing client application reachability for subscription Request-Id: " + Guid.NewGuid();
        var target = new UriBuilder(url) { Query = (url.Query.Length > 1 ? url.Query[1..] + "&" : string.Empty) + "validationToken=" + Uri.EscapeDataString(token) }.Uri;
        try
        {
            using var client = EmulatorGraph.NotificationClient();
            using var content = new StringContent(string.Empty);
            using var response = await client.PostAsync(target, content, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                && response.Content.Headers.ContentType?.MediaType == "text/plain"
                && string.Equals(body, token, StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async Task<int> SendLifecycleAsync(string id, string lifecycleEvent, CancellationToken cancellationToken)
    {
        var subscription = Find(id) ?? throw new InvalidOperationException($"No subscription has the id '{id}'.");
        var url = subscription.LifecycleNotificationUrl
            ?? throw new InvalidOperationException($"Subscription '{id}' has no lifecycleNotificationUrl; lifecycle events go to it only.");
        if (string.Equals(lifecycleEvent, "subscriptionRemoved", StringComparison.OrdinalIgnoreCase))
        {
            Remove(id);
        }

        var item = Item(subscription);
        item["lifecycleEvent"] = lifecycleEvent;
        return await EmulatorGraph.PostJsonAsync(url, new JsonObject { ["value"] = new JsonArray(item) }, cancellationToken).ConfigureAwait(false);
    }

    private void OnDelivered(object? sender, EmulatorMessageDeliveredEventArgs delivered)
    {
        if (graph.NotificationsPaused)
        {
            return;
        }

        var now = graph.TimeProvider.GetUtcNow();
        foreach (var subscription in _subscriptions.Values)
        {
            if (subscription.Mailbox != delivered.Mailbox || !string.Equals(subscription.Folder, delivered.Folder, StringComparison.Ordinal)
                || !subscription.ChangeType.Contains("created", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (subscription.Expiration <= now)
            {
                // An expired subscription is gone, as in Graph: no more notifications until the subscriber creates a new one.
                Remove(subscription.Id);
                continue;
            }

            var folder = delivered.Mailbox.FindFolder(delivered.Folder)!;
            var messageId = GraphJson.MessageId(folder, delivered.Uid);
            var item = Item(subscription);
            item["changeType"] = "created";
            item["resource"] = $"Users/{delivered.Mailbox.Address}/Messages/{messageId}";
            item["resourceData"] = new JsonObject
            {
                ["@odata.type"] = "#Microsoft.Graph.Message",
                ["@odata.id"] = $"Users/{delivered.Mailbox.Address}/Messages/{messageId}",
                ["id"] = messageId,
            };
            _ = PostAsync(subscription, new JsonObject { ["value"] = new JsonArray(item) });
        }
    }

    private async Task PostAsync(EmulatorGraphSubscription subscription, JsonObject body)
    {
        try
        {
            var status = await EmulatorGraph.PostJsonAsync(subscription.NotificationUrl, body, CancellationToken.None).ConfigureAwait(false);
            if (status is >= 200 and < 300)
            {
                Interlocked.Increment(ref _delivered);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            graph.Logger.LogWarning("The notification of subscription {Subscription} could not be posted to {Url}: {Error}", subscription.Id, subscription.NotificationUrl, exception.Message);
        }
    }

    private static JsonObject Item(EmulatorGraphSubscription subscription) => new()
    {
        ["subscriptionId"] = subscription.Id,
        ["subscriptionExpirationDateTime"] = subscription.Expiration.ToString("O", CultureInfo.InvariantCulture),
        ["clientState"] = subscription.ClientState,
        ["tenantId"] = subscription.Mailbox.Tenant.TenantId,
    };
}
