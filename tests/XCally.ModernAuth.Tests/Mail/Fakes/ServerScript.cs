using System.Text.RegularExpressions;

namespace XCally.ModernAuth.Tests.Mail.Fakes;

/// <summary>
/// What a <see cref="ScriptedMailServer"/> says on one connection: a greeting, then for each client line the replies of the first
/// rule whose pattern matches. <c>{tag}</c> in a reply is the IMAP tag of the latest tagged command.
/// </summary>
internal sealed class ServerScript
{
    private readonly List<Rule> _rules = [];

    public ServerScript(string greeting, string unmatchedReply)
    {
        Greeting = greeting;
        UnmatchedReply = unmatchedReply;
    }

    public string Greeting { get; }

    public string UnmatchedReply { get; }

    /// <summary>A rule that answers every matching line.</summary>
    public ServerScript On(string pattern, params string[] replies) => Add(pattern, replies, once: false, ScriptAction.None);

    /// <summary>A rule that answers only the first matching line; later lines fall through to the next rules.</summary>
    public ServerScript Once(string pattern, params string[] replies) => Add(pattern, replies, once: true, ScriptAction.None);

    /// <summary>A one-time rule after whose replies the server hangs up.</summary>
    public ServerScript OnceThenHangUp(string pattern, params string[] replies) => Add(pattern, replies, once: true, ScriptAction.HangUp);

    /// <summary>A persistent rule after whose replies the server hangs up.</summary>
    public ServerScript OnThenHangUp(string pattern, params string[] replies) => Add(pattern, replies, once: false, ScriptAction.HangUp);

    /// <summary>A rule after whose reply the server starts TLS.</summary>
    public ServerScript OnStartTls(string pattern, string reply) => Add(pattern, [reply], once: true, ScriptAction.StartTls);

    /// <summary>Puts a rule before all others (for a test's specific answer on top of a standard dialogue).</summary>
    public ServerScript First(string pattern, string[] replies, bool once = true, bool hangUp = false)
    {
        _rules.Insert(0, new Rule(new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), replies, once, hangUp ? ScriptAction.HangUp : ScriptAction.None));
        return this;
    }

    /// <summary>Finds (and, for one-time rules, consumes) the rule for a client line.</summary>
    public Rule? Match(string line)
    {
        lock (_rules)
        {
            var rule = _rules.FirstOrDefault(r => r.Pattern.IsMatch(line));
            if (rule is { Once: true })
            {
                _rules.Remove(rule);
            }

            return rule;
        }
    }

    private ServerScript Add(string pattern, string[] replies, bool once, ScriptAction action)
    {
        _rules.Add(new Rule(new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), replies, once, action));
        return this;
    }

    internal sealed record Rule(Regex Pattern, string[] Replies, bool Once, ScriptAction Action);
}

internal enum ScriptAction
{
    None,
    HangUp,
    StartTls,
}
