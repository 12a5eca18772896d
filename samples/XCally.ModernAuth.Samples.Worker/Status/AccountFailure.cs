namespace XCally.ModernAuth.Samples.Worker;

/// <summary>Why an account is reconnecting or failed, in words an operator can act on.</summary>
/// <param name="Category">The SDK's <see cref="ModernAuthErrorCategory"/>, <c>Network</c> for a connection that failed or dropped, or the exception's type.</param>
/// <param name="Reason">What happened.</param>
/// <param name="Advice">How to fix it, from the SDK; <see langword="null"/> when there is nothing to fix (a dropped connection).</param>
public sealed record AccountFailure(string Category, string Reason, string? Advice)
{
    /// <summary>Describes an error. The SDK's messages never contain a token or secret, so they are safe to log.</summary>
    /// <param name="error">The error.</param>
    /// <returns>The description.</returns>
    public static AccountFailure From(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            ModernAuthException auth => new AccountFailure(auth.Category.ToString(), auth.Message, auth.Advice),
            IOException or System.Net.Sockets.SocketException or MailKit.ServiceNotConnectedException or MailKit.ProtocolException
                => new AccountFailure("Network", error.Message, null),
            _ => new AccountFailure(error.GetType().Name, error.Message, null),
        };
    }
}
