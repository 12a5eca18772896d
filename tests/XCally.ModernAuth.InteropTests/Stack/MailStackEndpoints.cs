namespace XCally.ModernAuth.InteropTests.Stack;

/// <summary>Where the running mail stack listens and keeps its files, as printed by <c>tests/interop/mailstack.sh start</c>.</summary>
public sealed record MailStackEndpoints
{
    /// <summary>The stack's temporary folder.</summary>
    public required string Directory { get; init; }

    /// <summary>The loopback address every listener is bound to.</summary>
    public required string Host { get; init; }

    /// <summary>Dovecot IMAP with STARTTLS (AUTH refused before TLS unless the peer looks local).</summary>
    public required int ImapPort { get; init; }

    /// <summary>Dovecot IMAP over implicit TLS.</summary>
    public required int ImapsPort { get; init; }

    /// <summary>Dovecot POP3 with STLS.</summary>
    public required int Pop3Port { get; init; }

    /// <summary>Dovecot POP3 over implicit TLS.</summary>
    public required int Pop3sPort { get; init; }

    /// <summary>Postfix SMTP submission (STARTTLS required, AUTH only after it).</summary>
    public required int SmtpPort { get; init; }

    /// <summary>The domain Postfix delivers to Dovecot's mailboxes.</summary>
    public required string MailDomain { get; init; }

    /// <summary>Where Dovecot's oauth2 passdb reads public keys: <c>&lt;KeyDirectory&gt;/&lt;azp or default&gt;/RS256/&lt;kid&gt;</c>.</summary>
    public required string KeyDirectory { get; init; }

    /// <summary>The run-time self-signed certificate both servers present (PEM).</summary>
    public required string CertificateFile { get; init; }

    /// <summary>The password user of the PLAIN passdb (the benchmark's baseline).</summary>
    public required string PlainUser { get; init; }

    /// <summary>That user's password, made for this run only.</summary>
    public required string PlainPassword { get; init; }

    /// <summary>Dovecot's master process.</summary>
    public required int DovecotPid { get; init; }

    /// <summary>Postfix's master process.</summary>
    public required int PostfixPid { get; init; }

    /// <summary>Dovecot's log (auth failures are logged verbosely).</summary>
    public required string DovecotLog { get; init; }

    /// <summary>Postfix's log.</summary>
    public required string PostfixLog { get; init; }

    /// <summary>A mailbox address in the stack's domain.</summary>
    /// <param name="localPart">The part before <c>@</c>.</param>
    /// <returns>The address.</returns>
    public string Mailbox(string localPart) => $"{localPart}@{MailDomain}";

    /// <summary>Reads the <c>KEY=VALUE</c> lines the start script prints.</summary>
    /// <param name="output">The script's standard output.</param>
    /// <returns>The endpoints.</returns>
    public static MailStackEndpoints Parse(string output)
    {
        var values = output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

        string Get(string key) => values.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new InvalidOperationException($"mailstack.sh printed no {key}; its output was:\n{output}");
        int Port(string key) => int.Parse(Get(key), System.Globalization.CultureInfo.InvariantCulture);

        return new MailStackEndpoints
        {
            Directory = Get("MAILSTACK_DIR"),
            Host = Get("HOST"),
            ImapPort = Port("IMAP_PORT"),
            ImapsPort = Port("IMAPS_PORT"),
            Pop3Port = Port("POP3_PORT"),
            Pop3sPort = Port("POP3S_PORT"),
            SmtpPort = Port("SMTP_PORT"),
            MailDomain = Get("MAIL_DOMAIN"),
            KeyDirectory = Get("KEY_DIR"),
            CertificateFile = Get("CERT_FILE"),
            PlainUser = Get("PLAIN_USER"),
            PlainPassword = File.ReadAllText(Get("PLAIN_PASSWORD_FILE")),
            DovecotPid = Port("DOVECOT_PID"),
            PostfixPid = Port("POSTFIX_PID"),
            DovecotLog = Get("DOVECOT_LOG"),
            PostfixLog = Get("POSTFIX_LOG"),
        };
    }
}
