namespace XCally.ModernAuth;

/// <summary>
/// One step of a <see cref="ModernAuthDiagnosis"/>: what was checked, how it ended, how long it took, what the server or the
/// identity platform said, and the fix. Plain strings, to print or render as they are; never a secret or a token.
/// </summary>
public sealed class DiagnosisStep
{
    private const string TroubleshootingPage = "https://github.com/xcally/XCally.ModernAuth/blob/main/docs/troubleshooting.md";

    internal DiagnosisStep(
        string name,
        string title,
        DiagnosisOutcome outcome,
        TimeSpan duration,
        string? evidence,
        string? fix,
        ModernAuthErrorCategory? category,
        IReadOnlyList<string> blocks)
    {
        Name = name;
        Title = title;
        Outcome = outcome;
        Duration = duration;
        Evidence = evidence;
        Fix = fix;
        Category = category;
        Blocks = blocks;
    }

    /// <summary>
    /// The step's stable name: <c>configuration</c>, <c>credential</c>, <c>tenant</c>, <c>token</c>, <c>claims</c>, then per protocol
    /// <c>imap.connect</c>, <c>imap.sasl</c>, <c>imap.login</c>, <c>imap.inbox</c>, <c>pop3.connect</c>, <c>pop3.sasl</c>,
    /// <c>pop3.login</c>, <c>pop3.mailbox</c>, <c>smtp.connect</c>, <c>smtp.sasl</c>, <c>smtp.login</c>, <c>smtp.mail-from</c>.
    /// </summary>
    public string Name { get; }

    /// <summary>What the step checks, in words, e.g. <c>IMAP: TCP and TLS to outlook.office365.com:993</c>.</summary>
    public string Title { get; }

    /// <summary>How it ended.</summary>
    public DiagnosisOutcome Outcome { get; }

    /// <summary>How long it took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>What was seen: the server's or identity platform's own words on a failure, the facts found on a success.</summary>
    public string? Evidence { get; }

    /// <summary>How to fix a failure or a warning (the portal step, the PowerShell cmdlet, the setting); <see langword="null"/> when passed.</summary>
    public string? Fix { get; }

    /// <summary>The kind of failure, for a failed step (or a warning) that maps to one.</summary>
    public ModernAuthErrorCategory? Category { get; }

    /// <summary>The titles of the steps that did not run because this one failed; empty otherwise.</summary>
    public IReadOnlyList<string> Blocks { get; }

    /// <summary>Where the step is explained: its section of the troubleshooting guide.</summary>
    public Uri HelpLink => new($"{TroubleshootingPage}#{Anchor(Name)}");

    /// <summary>Every step's name, in the order a full diagnosis runs them; docs/troubleshooting.md has a section for each.</summary>
    internal static IReadOnlyList<string> Names { get; } =
    [
        "configuration", "credential", "tenant", "token", "claims",
        "imap.connect", "imap.sasl", "imap.login", "imap.inbox",
        "pop3.connect", "pop3.sasl", "pop3.login", "pop3.mailbox",
        "smtp.connect", "smtp.sasl", "smtp.login", "smtp.mail-from",
    ];

    /// <summary>The anchor of a step's section in docs/troubleshooting.md: <c>step-imap-login</c> for <c>imap.login</c>.</summary>
    /// <param name="name">The step's name.</param>
    /// <returns>The anchor.</returns>
    internal static string Anchor(string name) => "step-" + name.Replace('.', '-');

    /// <inheritdoc />
    public override string ToString() => $"[{Outcome}] {Title}";
}
