using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using XCally.ModernAuth.Testing.Graph.Internal;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// The mail part of Microsoft Graph v1.0 on the emulator's identity host (<c>https://127.0.0.1:{port}/graph/v1.0/</c>), over the
/// same mailboxes as its IMAP, POP3 and SMTP servers: <c>sendMail</c> (MIME or JSON), drafts, attachments and upload sessions,
/// <c>send</c>, messages and their MIME <c>$value</c>, <c>PATCH</c> (isRead), <c>move</c>, folder <c>delta</c>, and
/// change-notification subscriptions that post to the host's URL. Tokens must have Graph's audience and the Mail permissions;
/// app-only access can be scoped to mailboxes (<see cref="EmulatorApplication.ScopeGraphAccessTo"/>); more than
/// <see cref="MaxConcurrentRequestsPerMailbox"/> requests at once per application and mailbox answer 429, as Exchange does.
/// Point the Graph SDK at <see cref="BaseAddress"/>. Thread-safe.
/// </summary>
public sealed class EmulatorGraph
{
    /// <summary>Graph's limit on one request's body: 4 MB. Larger messages go through a draft and an upload session.</summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;

    /// <summary>The longest lifetime of a subscription to Outlook messages without resource data, in minutes (7 days).</summary>
    public const int MaxSubscriptionMinutes = 10080;

    private readonly object _faultGate = new();
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly List<(EmulatorGraphFault Fault, int Remaining, string? Mailbox)> _pendingFaults = [];

    internal EmulatorGraph(EmulatorDirectory directory, EmulatorSigningKey signingKey, TimeProvider timeProvider, ILogger logger)
    {
        Directory = directory;
        TimeProvider = timeProvider;
        Logger = logger;
        Tokens = new GraphTokenValidator(directory, signingKey, timeProvider);
        Subscriptions = new GraphSubscriptionStore(this);
    }

    /// <summary>The Graph v1.0 base address, <c>https://127.0.0.1:{port}/graph/v1.0/</c>: the Graph SDK's base URL.</summary>
    public Uri BaseAddress { get; internal set; } = null!;

    /// <summary>At most this many requests of one application are served at once per mailbox; more answer 429 (Exchange's limit is 4).</summary>
    public int MaxConcurrentRequestsPerMailbox { get; set; } = 4;

    /// <summary>Whether notifications are held back (a notification endpoint that was down): send a <c>missed</c> lifecycle event after.</summary>
    public bool NotificationsPaused { get; set; }

    /// <summary>The subscriptions that exist now.</summary>
    public IReadOnlyList<EmulatorGraphSubscription> ActiveSubscriptions => Subscriptions.Snapshot();

    /// <summary>How many change notifications were posted and answered with 2xx.</summary>
    public int NotificationsDelivered => Subscriptions.Delivered;

    internal EmulatorDirectory Directory { get; }

    internal TimeProvider TimeProvider { get; }

    internal ILogger Logger { get; }

    internal GraphTokenValidator Tokens { get; }

    internal GraphSubscriptionStore Subscriptions { get; }

    internal GraphUploadSessions Uploads { get; } = new();

    internal ConcurrentDictionary<(string ClientId, string Mailbox), int> InFlight { get; } = new();

    /// <summary>How many requests reached an operation, e.g. <c>sendMail</c>, <c>delta</c>, <c>createUploadSession</c>, <c>uploadChunk</c>, <c>throttled</c>.</summary>
    /// <param name="operation">The operation's name.</param>
    /// <returns>The count.</returns>
    public int RequestCount(string operation) => _requests.GetValueOrDefault(operation);

    /// <summary>Makes the next <paramref name="times"/> Graph requests (optionally only for one mailbox) fail with a fault.</summary>
    /// <param name="fault">The fault, e.g. <see cref="EmulatorGraphFault.TooManyRequests"/>.</param>
    /// <param name="times">How many requests it applies to.</param>
    /// <param name="mailboxAddress">Only requests for this mailbox; every request when omitted.</param>
    public void InjectFault(EmulatorGraphFault fault, int times = 1, string? mailboxAddress = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        lock (_faultGate)
        {
            _pendingFaults.Add((fault, times, mailboxAddress));
        }
    }

    /// <summary>Drops every injected fault not yet used.</summary>
    public void ClearFaults()
    {
        lock (_faultGate)
        {
            _pendingFaults.Clear();
        }
    }

    /// <summary>
    /// Posts a lifecycle notification (<c>reauthorizationRequired</c>, <c>subscriptionRemoved</c> or <c>missed</c>) to a
    /// subscription's lifecycle URL; <c>subscriptionRemoved</c> also deletes the subscription.
    /// </summary>
    /// <param name="subscriptionId">The subscription.</param>
    /// <param name="lifecycleEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the post.</param>
    /// <returns>The subscriber's HTTP status.</returns>
    public Task<int> SendLifecycleNotificationAsync(string subscriptionId, string lifecycleEvent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(lifecycleEvent);
        return Subscriptions.SendLifecycleAsync(subscriptionId, lifecycleEvent, cancellationToken);
    }

    /// <inheritdoc />
    public override string ToString() => $"Emulator Microsoft Graph at {BaseAddress}";

    internal void Count(string operation) => _requests.AddOrUpdate(operation, 1, (_, count) => count + 1);

    internal EmulatorGraphFault? TakeFault(string mailbox)
    {
        lock (_faultGate)
        {
            for (var i = 0; i < _pendingFaults.Count; i++)
            {
                var (fault, remaining, only) = _pendingFaults[i];
                if (only is null || string.Equals(only, mailbox, StringComparison.OrdinalIgnoreCase))
                {
                    if (remaining <= 1)
                    {
                        _pendingFaults.RemoveAt(i);
                    }
                    else
                    {
                        _pendingFaults[i] = (fault, remaining - 1, only);
                    }

                    return fault;
                }
            }
        }

        return null;
    }

    internal static async Task<int> PostJsonAsync(Uri url, JsonNode body, CancellationToken cancellationToken)
    {
        using var client = NotificationClient();
        using var response = await client.PostAsJsonAsync(url, body, cancellationToken).ConfigureAwait(false);
        return (int)response.StatusCode;
    }

    internal static HttpClient NotificationClient() => new() { Timeout = TimeSpan.FromSeconds(10) };
}
