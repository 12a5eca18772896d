namespace XCally.ModernAuth.Samples.Worker;

/// <summary>
/// What the contact center does with each new message: create a ticket, route it to an agent, reply. The default,
/// <see cref="AcknowledgementReplyHandler"/>, sends the customer an acknowledgement.
/// </summary>
/// <remarks>
/// The channel calls the handler once per message, in UID order, and records the message as handled only when the handler
/// returns. When it throws, the message stays unhandled and is handed over again after the account reconnects, so nothing is
/// lost; a handler whose work may have half-happened (a reply sent, then the connection dropped) should be idempotent.
/// </remarks>
public interface IMessageHandler
{
    /// <summary>Handles one new message.</summary>
    /// <param name="message">The message and the account it arrived in.</param>
    /// <param name="cancellationToken">Cancelled when the host stops.</param>
    /// <returns>A task that ends when the message is handled.</returns>
    Task HandleAsync(ChannelMessage message, CancellationToken cancellationToken = default);
}
