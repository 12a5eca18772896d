namespace XCally.ModernAuth.Graph;

/// <summary>How the Microsoft Graph transport talks to Graph. Set through <c>AddGraphTransport(options => …)</c>.</summary>
public sealed class GraphMailOptions
{
    /// <summary>
    /// Graph's v1.0 base URL; by default the account's cloud's (<c>https://graph.microsoft.com/v1.0</c>,
    /// <c>https://graph.microsoft.us/v1.0</c>, <c>https://dod-graph.microsoft.us/v1.0</c>, <c>https://microsoftgraph.chinacloudapi.cn/v1.0</c>).
    /// Another host needs <see cref="AllowNonMicrosoftGraphHost"/>.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// Allows <see cref="BaseUrl"/> to be a host other than Microsoft Graph's. Off by default, so that a mistyped URL never receives
    /// a Graph token; turn it on only for an emulator or tests. HTTPS is required either way.
    /// </summary>
    public bool AllowNonMicrosoftGraphHost { get; set; }

    /// <summary>Whether a sent message is kept in the mailbox's Sent Items. Default <see langword="true"/>.</summary>
    public bool SaveToSentItems { get; set; } = true;

    /// <summary>
    /// Messages whose MIME form is larger than this go through a draft and attachment uploads instead of one <c>sendMail</c>
    /// (Graph takes about 4 MB per request, and base64 adds a third). Default 3 MB.
    /// </summary>
    public int LargeMessageThreshold { get; set; } = 3 * 1024 * 1024;

    /// <summary>Attachments larger than this are sent through an upload session rather than in one request. Default 3 MB.</summary>
    public int UploadSessionThreshold { get; set; } = 3 * 1024 * 1024;

    /// <summary>The size of one upload-session slice, a multiple of 320 KiB as Graph asks. Default 3.75 MiB (12 × 320 KiB).</summary>
    public int UploadSliceSize { get; set; } = 12 * 320 * 1024;

    /// <summary>At most this many requests at once per mailbox, below Exchange's limit of 4 per application and mailbox. Default 4.</summary>
    public int MaxConcurrentRequestsPerMailbox { get; set; } = 4;

    /// <summary>How often a request answered 429, 503 or 504 is retried after the <c>Retry-After</c> wait (the Graph SDK's retry handler). Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>How many messages one <see cref="IMailTransport.ReadNewAsync"/> returns at most. Default 100.</summary>
    public int MaxBatchSize { get; set; } = 100;
}
