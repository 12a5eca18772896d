namespace XCally.ModernAuth.Testing.Mail.Internal;

internal abstract partial class MailSession
{
    /// <summary>Exchange Online's words when it throttles a mailbox (its per-mailbox connection limit reached).</summary>
    protected string ThrottledText =>
        $"Request is throttled. Suggested Backoff Time: {(long)Context.Options.ConnectionLimitBackoff.TotalMilliseconds} milliseconds";

    /// <summary>
    /// Completes SASL XOAUTH2 or OAUTHBEARER the same way on every protocol: asks for the client response when the command carried
    /// none, validates the bearer token, claims a session slot of the mailbox and records the result. Each session keeps only its
    /// own replies.
    /// </summary>
    /// <param name="mechanism">XOAUTH2 or OAUTHBEARER.</param>
    /// <param name="initial">The initial response sent with the command, or <see langword="null"/> to ask for it.</param>
    /// <param name="command">The command's name, for the error when the client hangs up mid-exchange.</param>
    /// <param name="continuation">The line that asks for the client response (<c>+ </c>, <c>334 </c>).</param>
    /// <param name="cancellationToken">The session token.</param>
    /// <returns>The recorded result, or <see langword="null"/> when the client cancelled with <c>*</c> (nothing is recorded).</returns>
    protected async Task<MailAuthResult?> AuthenticateOAuthAsync(
        string mechanism, string? initial, string command, string continuation, CancellationToken cancellationToken)
    {
        if (initial is null)
        {
            await Connection.WriteAsync(continuation + "\r\n", cancellationToken).ConfigureAwait(false);
            var (status, line) = await Connection.ReadLineAsync(Context.Options.MaxLineLength, cancellationToken).ConfigureAwait(false);
            if (status == MailLineStatus.Closed)
            {
                throw new IOException($"The client closed the connection during {command}.");
            }

            if (status == MailLineStatus.Line && line.Trim() == "*")
            {
                return null;
            }

            initial = status == MailLineStatus.Line ? line : string.Empty;
        }

        var response = OAuthSaslResponse.TryParse(mechanism, initial);
        var result = response is null
            ? MailAuthResult.Fail("the SASL response is malformed")
            : await Context.Tokens.ValidateAsync(Kind.Protocol, response).ConfigureAwait(false);
        if (result.Outcome == MailAuthOutcome.Succeeded && !TryClaimMailbox(result.Mailbox!))
        {
            result = result with { Outcome = MailAuthOutcome.ConnectionLimit, Reason = $"too many sessions for {result.Mailbox!.Address}" };
        }

        Context.RecordAuthentication(Kind.Protocol, result);
        return result;
    }
}
