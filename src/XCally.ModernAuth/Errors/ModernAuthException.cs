namespace XCally.ModernAuth;

/// <summary>
/// A failure of modern authentication that names its cause and its fix. The message, <see cref="Advice"/> and
/// <see cref="Exception.ToString"/> never contain a secret, token or assertion.
/// </summary>
public sealed class ModernAuthException : Exception
{
    /// <summary>Creates an exception with the unknown category.</summary>
    public ModernAuthException()
        : this(ModernAuthErrorCategory.Unknown, "Modern authentication failed.")
    {
    }

    /// <summary>Creates an exception with the unknown category.</summary>
    /// <param name="message">What happened.</param>
    public ModernAuthException(string message)
        : this(ModernAuthErrorCategory.Unknown, message)
    {
    }

    /// <summary>Creates an exception with the unknown category.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ModernAuthException(string message, Exception innerException)
        : this(ModernAuthErrorCategory.Unknown, message, advice: null, innerException)
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="category">What went wrong.</param>
    /// <param name="message">What happened, naming the setting, account or server involved.</param>
    /// <param name="advice">How to fix it.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ModernAuthException(ModernAuthErrorCategory category, string message, string? advice = null, Exception? innerException = null)
        : base(advice is null ? message : $"{message} {advice}", innerException)
    {
        Category = category;
        Advice = advice;
        Summary = message;
    }

    /// <summary>What went wrong.</summary>
    public ModernAuthErrorCategory Category { get; }

    /// <summary>How to fix it, in an administrator's words.</summary>
    public string? Advice { get; }

    /// <summary>The identity platform's error code (e.g. <c>AADSTS7000215</c>) or the mail server's status code, if any.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The cloud provider involved, if any.</summary>
    public string? CloudProviderName { get; init; }

    /// <summary>The email account involved, if any.</summary>
    public string? AccountAddress { get; init; }

    /// <summary>The mail server's own response text, if a mail server refused.</summary>
    public string? ServerResponse { get; init; }

    /// <summary>How long to wait before trying again, when the identity platform said so.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The identity platform's correlation id, for a support request.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The message without the advice.</summary>
    internal string Summary { get; }

    /// <summary>
    /// The same failure as seen by one caller: a shared failure (one token request for many callers) is rethrown to each with
    /// its own account and the time still to wait.
    /// </summary>
    /// <param name="accountAddress">The caller's account, if any.</param>
    /// <param name="retryAfter">How long the caller should wait, if known.</param>
    /// <param name="state">What the SDK is doing about it now (a token still served, or none), added to the summary.</param>
    internal ModernAuthException ForCaller(string? accountAddress, TimeSpan? retryAfter, string? state = null) =>
        new(Category, state is null ? Summary : $"{Summary} {state}", Advice, InnerException)
        {
            ErrorCode = ErrorCode,
            CloudProviderName = CloudProviderName,
            AccountAddress = accountAddress ?? AccountAddress,
            ServerResponse = ServerResponse,
            RetryAfter = retryAfter ?? RetryAfter,
            CorrelationId = CorrelationId,
        };
}
