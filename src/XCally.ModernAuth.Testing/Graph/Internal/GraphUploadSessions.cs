using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing.Graph.Internal;

/// <summary>An attachment upload in progress: where it goes, how big it is, and the bytes received so far.</summary>
internal sealed class GraphUploadSession(EmulatorMailbox mailbox, string messageId, string name, string contentType, long size, DateTimeOffset expires)
{
    public EmulatorMailbox Mailbox { get; } = mailbox;

    public string MessageId { get; } = messageId;

    public string Name { get; } = name;

    public string ContentType { get; } = contentType;

    public long Size { get; } = size;

    public DateTimeOffset Expires { get; } = expires;

    public MemoryStream Received { get; } = new();

    public object Gate { get; } = new();
}

/// <summary>The open upload sessions, by their unguessable id (the upload URL carries no bearer token, as Graph's does not).</summary>
internal sealed class GraphUploadSessions
{
    private readonly ConcurrentDictionary<string, GraphUploadSession> _sessions = new(StringComparer.Ordinal);

    public string Add(GraphUploadSession session)
    {
        var id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
        _sessions[id] = session;
        return id;
    }

    public GraphUploadSession? Find(string id) => _sessions.GetValueOrDefault(id);

    public void Remove(string id) => _sessions.TryRemove(id, out _);
}
