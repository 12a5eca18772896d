namespace XCally.ModernAuth.Graph;

/// <summary>What a Graph notification says happened to an account's watched folder.</summary>
public enum GraphMailChangeKind
{
    /// <summary>A message arrived; read it with <see cref="IMailTransport.ReadNewAsync"/>.</summary>
    MessageCreated,

    /// <summary>
    /// Notifications may have been lost (a <c>missed</c> lifecycle event, or the subscription was removed and made again): read
    /// the folder by delta with <see cref="IMailTransport.ReadNewAsync"/>, which returns whatever arrived meanwhile.
    /// </summary>
    ResyncRequired,
}

/// <summary>A change notification for an account, after its <c>clientState</c> was checked.</summary>
/// <param name="AccountAddress">The account.</param>
/// <param name="Kind">What happened.</param>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="MessageId">The new message's Graph id, for <see cref="GraphMailChangeKind.MessageCreated"/>.</param>
public sealed record GraphMailChange(string AccountAddress, GraphMailChangeKind Kind, string SubscriptionId, string? MessageId);

/// <summary>Receives the checked change notifications of <see cref="GraphSubscriptions"/>; register one or more in DI.</summary>
public interface IGraphMailChangeHandler
{
    /// <summary>Handles a change; runs after Graph got its 202, so it may take its time.</summary>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Cancelled when the host stops.</param>
    /// <returns>A task that completes when handled.</returns>
    Task OnMailChangedAsync(GraphMailChange change, CancellationToken cancellationToken);
}
