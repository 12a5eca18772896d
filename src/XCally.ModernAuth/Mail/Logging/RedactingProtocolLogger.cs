using System.Text;
using MailKit;

namespace XCally.ModernAuth;

/// <summary>
/// Wraps a MailKit <see cref="IProtocolLogger"/> so that authentication secrets never reach it. MailKit's clients mark the SASL
/// response as secret through <see cref="AuthenticationSecretDetector"/>; this logger decodes an XOAUTH2 or OAUTHBEARER response and
/// writes it with the bearer token replaced by <c>********</c>, so the log still shows <c>user=</c> (which mailbox signed in).
/// Anything else marked secret (a password, an unknown mechanism) is written as <c>********</c>.
/// </summary>
/// <remarks>Give the inner logger no detector of its own: it receives text that is already redacted.</remarks>
public sealed class RedactingProtocolLogger : IProtocolLogger
{
    /// <summary>What replaces a secret.</summary>
    public const string Mask = "********";

    private const string BearerPrefix = "auth=Bearer ";

    private readonly IProtocolLogger _inner;
    private readonly List<byte> _pendingSecret = [];

    /// <summary>Creates the wrapper.</summary>
    /// <param name="inner">The logger that receives the redacted protocol text; disposed with this one.</param>
    public RedactingProtocolLogger(IProtocolLogger inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>Set by the MailKit client: finds the secrets in what the client sends.</summary>
    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    /// <inheritdoc />
    public void LogConnect(Uri uri)
    {
        FlushSecret();
        _inner.LogConnect(uri);
    }

    /// <inheritdoc />
    public void LogClient(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var end = offset + count;
        var index = offset;
        var secrets = AuthenticationSecretDetector?.DetectSecrets(buffer, offset, count);
        if (secrets is not null)
        {
            foreach (var secret in secrets.OrderBy(s => s.StartIndex))
            {
                if (secret.StartIndex > index)
                {
                    FlushSecret();
                    _inner.LogClient(buffer, index, secret.StartIndex - index);
                }

                // A secret may continue in the next write, so it is only rendered once something else follows it.
                _pendingSecret.AddRange(new ArraySegment<byte>(buffer, secret.StartIndex, secret.Length));
                index = secret.StartIndex + secret.Length;
            }
        }

        if (index < end)
        {
            FlushSecret();
            _inner.LogClient(buffer, index, end - index);
        }
    }

    /// <inheritdoc />
    public void LogServer(byte[] buffer, int offset, int count) => _inner.LogServer(buffer, offset, count);

    /// <inheritdoc />
    public void Dispose()
    {
        FlushSecret();
        _inner.Dispose();
    }

    /// <summary>
    /// The readable, token-free form of a SASL response: <c>user=alice@contoso.com^Aauth=Bearer ********^A^A</c> for XOAUTH2,
    /// <c>n,a=alice@contoso.com,^Ahost=…^Aport=…^Aauth=Bearer ********^A^A</c> for OAUTHBEARER, and <see cref="Mask"/> otherwise.
    /// </summary>
    /// <param name="base64">The base64 SASL response as sent.</param>
    /// <returns>The redacted text.</returns>
    internal static string Redact(string base64)
    {
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            return Mask;
        }

        var text = Encoding.UTF8.GetString(decoded);
        var bearer = text.IndexOf(BearerPrefix, StringComparison.OrdinalIgnoreCase);
        if (bearer < 0)
        {
            return Mask;
        }

        var tokenStart = bearer + BearerPrefix.Length;
        var tokenEnd = text.IndexOf('\u0001', tokenStart);
        var redacted = text[..tokenStart] + Mask + (tokenEnd < 0 ? string.Empty : text[tokenEnd..]);
        return redacted.Replace("\u0001", "^A", StringComparison.Ordinal);
    }

    private void FlushSecret()
    {
        if (_pendingSecret.Count == 0)
        {
            return;
        }

        var bytes = Encoding.ASCII.GetBytes(Redact(Encoding.ASCII.GetString([.. _pendingSecret])));
        _pendingSecret.Clear();
        _inner.LogClient(bytes, 0, bytes.Length);
    }
}
