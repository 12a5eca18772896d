using System.Collections.Concurrent;
using XCally.ModernAuth.Samples.Worker;

namespace XCally.ModernAuth.Samples.Tests.Infrastructure;

/// <summary>Wraps the real handler and counts, per Message-Id, how often it was called and how often it completed.</summary>
internal sealed class RecordingMessageHandler(IMessageHandler inner, HandledMessages record) : IMessageHandler
{
    public async Task HandleAsync(ChannelMessage message, CancellationToken cancellationToken = default)
    {
        var id = message.Message.MessageId ?? throw new InvalidOperationException("Test messages always have a Message-Id.");
        record.Invocations.AddOrUpdate(id, 1, (_, n) => n + 1);
        await inner.HandleAsync(message, cancellationToken);
        record.Completions.AddOrUpdate(id, 1, (_, n) => n + 1);
    }
}

/// <summary>What the channel did with each message, across host restarts.</summary>
internal sealed class HandledMessages
{
    public ConcurrentDictionary<string, int> Invocations { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> Completions { get; } = new(StringComparer.Ordinal);

    public int InvocationsOf(MimeKit.MimeMessage message) => Invocations.GetValueOrDefault(message.MessageId!);

    public int CompletionsOf(MimeKit.MimeMessage message) => Completions.GetValueOrDefault(message.MessageId!);
}
