namespace XCally.ModernAuth.Testing.Mail.Internal;

/// <summary>The command loop of the line protocols whose commands are a verb and an argument (POP3, SMTP).</summary>
internal abstract partial class MailSession
{
    /// <summary>
    /// Reads commands until the client quits or hangs up, or sends too many invalid commands in a row.
    /// </summary>
    /// <param name="execute">Runs one command (verb, argument); returns whether it was valid.</param>
    /// <param name="quit">Answers QUIT; the session ends after it.</param>
    /// <param name="lineTooLong">The reply to a line over the length limit.</param>
    /// <param name="tooManyErrors">The reply before the session is closed for too many invalid commands.</param>
    /// <param name="cancellationToken">Ends the session.</param>
    protected async Task RunVerbCommandsAsync(
        Func<string, string, CancellationToken, Task<bool>> execute,
        Func<CancellationToken, Task> quit,
        string lineTooLong,
        string tooManyErrors,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var (status, line) = await Connection.ReadLineAsync(Context.Options.MaxLineLength, cancellationToken).ConfigureAwait(false);
            if (status == MailLineStatus.Closed)
            {
                return;
            }

            bool good;
            if (status == MailLineStatus.TooLong)
            {
                await ReplyAsync(lineTooLong, cancellationToken).ConfigureAwait(false);
                good = false;
            }
            else
            {
                var (verb, argument) = MailText.SplitVerb(line);
                if (verb == "QUIT")
                {
                    await quit(cancellationToken).ConfigureAwait(false);
                    return;
                }

                good = await execute(verb, argument, cancellationToken).ConfigureAwait(false);
            }

            if (good)
            {
                ResetBadCommands();
            }
            else if (CountBadCommand())
            {
                await ReplyAsync(tooManyErrors, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
    }
}
