namespace XCally.ModernAuth.Samples.Console;

/// <summary>
/// The command line: <c>[--config FILE] [--account ADDRESS] [--to ADDRESS] [--transport imap|graph|auto] [--delegated] [--check [ADDRESS]] [--verbose]</c>.
/// </summary>
internal sealed record SampleArguments(string? ConfigFile, string? Account, string? To, MailTransport? Transport, bool Delegated, bool Verbose, bool Help, bool Check = false)
{
    public const string Usage = """
        Usage: dotnet run --project samples/XCally.ModernAuth.Samples.Console -- [options]

        With no options the sample starts the embedded Office 365 emulator and runs the whole flow on it.
        With a configuration (a file, or XCallyModernAuth__... environment variables) it runs against Office 365.

          --config FILE      JSON file with an "XCallyModernAuth" section (CloudProviders, EmailAccounts)
          --account ADDRESS  the email account to use (default: the first configured one)
          --to ADDRESS       where the test message goes (default: the account itself)
          --transport NAME   imap (default): SMTP, IMAP and POP3 with the MailKit clients;
                             graph: send and read through Microsoft Graph (sendMail, delta);
                             auto: SMTP and IMAP, and Graph for sending once SMTP AUTH is refused
                             (on the emulator the tenant has SMTP AUTH disabled, so the fallback shows)
          --delegated        sign the mailbox user in first (delegated flow): on the emulator with the
                             authorization code flow, against Office 365 with a device code
          --check [ADDRESS]  diagnose one account step by step (configuration, tenant, token, claims, then
                             each protocol's connection, sign-in and mailbox) and print the checklist;
                             exit code 5 when a step fails. Default: the --account, else the first one
          --verbose          show the SDK's log output
          --help             show this text
        """;

    public static SampleArguments Parse(IReadOnlyList<string> args)
    {
        string? config = null, account = null, to = null;
        MailTransport? transport = null;
        bool delegated = false, verbose = false, help = false, check = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--config":
                    config = Value(args, ref i);
                    break;
                case "--account":
                    account = Value(args, ref i);
                    break;
                case "--to":
                    to = Value(args, ref i);
                    break;
                case "--transport":
                    transport = ParseTransport(Value(args, ref i));
                    break;
                case "--delegated":
                    delegated = true;
                    break;
                case "--check":
                    check = true;
                    if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        account = args[++i];
                    }

                    break;
                case "--verbose":
                    verbose = true;
                    break;
                case "--help" or "-h" or "-?":
                    help = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }

        if (config is not null && !File.Exists(config))
        {
            throw new ArgumentException($"The configuration file '{config}' does not exist.");
        }

        if (delegated && transport is MailTransport.Graph or MailTransport.Auto)
        {
            throw new ArgumentException("'--delegated' runs the IMAP/SMTP walk-through: leave '--transport' out or use '--transport imap'.");
        }

        return new SampleArguments(config, account, to, transport, delegated, verbose, help, check);
    }

    private static MailTransport ParseTransport(string value) => value.ToUpperInvariant() switch
    {
        "IMAP" => MailTransport.Imap,
        "GRAPH" => MailTransport.Graph,
        "AUTO" => MailTransport.Auto,
        _ => throw new ArgumentException($"'--transport' must be imap, graph or auto, not '{value}'."),
    };

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count && !args[i].StartsWith("--", StringComparison.Ordinal)
            ? args[i]
            : throw new ArgumentException($"'{args[i - 1]}' needs a value.");
}
