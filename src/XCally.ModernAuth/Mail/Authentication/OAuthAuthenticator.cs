using System.Globalization;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The one authentication core behind the IMAP, POP3 and SMTP extension methods and the connector: refuses clear text, picks
/// XOAUTH2 or OAUTHBEARER, checks the token has not expired, and authenticates with a fresh mechanism and token. What a refusal
/// leads to depends on what the server said (<see cref="MailServerFailures"/>): a refused token is retried once with a fresh one
/// (reconnecting first if the server hung up), dropping the refused token only when <see cref="TokenRefusalPolicy"/> says it may
/// be the cause; a limit, a permission or a disabled protocol is reported at once, without another token request. Failures
/// become <see cref="ModernAuthException"/>s with the fix and, for a refused token, what its claims show.
/// </summary>
internal static partial class OAuthAuthenticator
{
    public static async Task AuthenticateAsync(IMailService client, OAuthAuthenticationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(context);

        var mechanism = EnsureReady(client, context);
        var token = await GetUnexpiredTokenAsync(context, cancellationToken).ConfigureAwait(false);
        context.SentToken = token;
        try
        {
            await client.AuthenticateAsync(OAuthSaslMechanisms.Create(mechanism, context.LoginName, token), cancellationToken).ConfigureAwait(false);
            LogAuthenticated(context.Logger, context.Account.Address, context.Protocol, mechanism);
            return;
        }
        catch (Exception ex) when (Classify(context, ex, client) is { } failure)
        {
            if (!failure.RetryWithFreshToken)
            {
                await DisconnectIfOutOfStepAsync(client, ex, cancellationToken).ConfigureAwait(false);
                throw CreateException(context, failure, ex, token, retried: false);
            }

            if (DelegateRefused(context, token) is { } denied)
            {
                // The agent's own, sound token for a shared mailbox: a fresh one would be refused the same way.
                LogDelegateRefused(context.Logger, context.Account.Address, context.Protocol, context.Account.SignInUser!, ServerResponse(context, ex));
                await DisconnectIfOutOfStepAsync(client, ex, cancellationToken).ConfigureAwait(false);
                throw CreateException(context, denied, ex, token, retried: false);
            }

            var decision = context.RefusalPolicy.OnRefused(context.Account, context.Protocol, token);
            if (decision == TokenRefusalDecision.MailboxProblem)
            {
                LogRefusedAgain(context.Logger, context.Account.Address, context.Protocol, ServerResponse(context, ex));
                await DisconnectIfOutOfStepAsync(client, ex, cancellationToken).ConfigureAwait(false);
                throw CreateException(context, AlreadyRefused(failure), ex, token, retried: false);
            }

            LogRetrying(context.Logger, context.Account.Address, context.Protocol, ServerResponse(context, ex));
            if (decision == TokenRefusalDecision.Invalidate)
            {
                await context.TokenProvider.InvalidateAsync(context.Account, context.Protocol, token, cancellationToken).ConfigureAwait(false);
            }

            var fresh = await GetUnexpiredTokenAsync(context, cancellationToken).ConfigureAwait(false);
            if (string.Equals(fresh.Token, token.Token, StringComparison.Ordinal))
            {
                // The provider still hands out the refused token (a host's own provider that ignores invalidation, or another
                // mailbox's refusal already spent this token's one invalidation): sending it again cannot help.
                await DisconnectIfOutOfStepAsync(client, ex, cancellationToken).ConfigureAwait(false);
                throw CreateException(context, failure, ex, token, retried: false);
            }

            await DisconnectIfOutOfStepAsync(client, ex, cancellationToken).ConfigureAwait(false);
            if (!client.IsConnected)
            {
                if (context.Reconnect is null)
                {
                    throw CreateException(context, failure, ex, token, retried: false);
                }

                await context.Reconnect(cancellationToken).ConfigureAwait(false);
                mechanism = EnsureReady(client, context);
            }

            await RetryAsync(client, context, mechanism, fresh, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task RetryAsync(IMailService client, OAuthAuthenticationContext context, string mechanism, AccessToken fresh, CancellationToken cancellationToken)
    {
        context.SentToken = fresh;
        try
        {
            await client.AuthenticateAsync(OAuthSaslMechanisms.Create(mechanism, context.LoginName, fresh), cancellationToken).ConfigureAwait(false);
            LogAuthenticated(context.Logger, context.Account.Address, context.Protocol, mechanism);
        }
        catch (Exception ex) when (Classify(context, ex, client) is { } failure)
        {
            await DisconnectIfOutOfStepAsync(client, ex, cancellationToken).ConfigureAwait(false);
            if (!failure.RetryWithFreshToken)
            {
                throw CreateException(context, failure, ex, fresh, retried: false);
            }

            // A fresh token refused too: this mailbox's problem, not the token's. The token stays (other mailboxes use it), and
            // this mailbox's next refusal of it asks the identity platform for nothing.
            context.RefusalPolicy.OnRefusedAgain(context.Account, context.Protocol, fresh);
            throw CreateException(context, ConfirmedByFreshToken(failure), ex, fresh, retried: true);
        }
    }

    /// <summary>
    /// The token to send, checked against the wall clock (its <c>exp</c> claim and <see cref="AccessToken.ExpiresOn"/>): an expired
    /// token is dropped and asked for once more; if the provider hands out an expired token again, nothing is sent.
    /// </summary>
    private static async Task<AccessToken> GetUnexpiredTokenAsync(OAuthAuthenticationContext context, CancellationToken cancellationToken)
    {
        var token = await context.TokenProvider.GetAccessTokenAsync(context.Account, context.Protocol, cancellationToken).ConfigureAwait(false);
        if (ExpiredAt(context, token) is not { } expired)
        {
            return token;
        }

        LogExpiredToken(context.Logger, context.Account.Address, context.Protocol, expired);
        await context.TokenProvider.InvalidateAsync(context.Account, context.Protocol, token, cancellationToken).ConfigureAwait(false);
        var again = await context.TokenProvider.GetAccessTokenAsync(context.Account, context.Protocol, cancellationToken).ConfigureAwait(false);
        if (ExpiredAt(context, again) is not { } stillExpired)
        {
            return again;
        }

        var now = context.TimeProvider.GetUtcNow();
        var minutes = (int)(now - stillExpired).TotalMinutes;
        throw new ModernAuthException(
            ModernAuthErrorCategory.TokenExpired,
            $"The access token for email account {context.Account.Address} ({context.Protocol}) expired at {stillExpired.UtcDateTime:u}, "
                + $"{minutes} min ago by this machine's clock, so it was not sent to {context.EndpointDescription}; asked again, the token "
                + $"provider ({context.TokenProvider.GetType().Name}) handed out an expired token once more.",
            "A token provider of the host's own must return a token that is still valid (check its cache's expiry against the token's ExpiresOn, "
                + "and set ExpiresOn from the token's expires_in or exp), and drop a token when InvalidateAsync is called. If the token source "
                + "is right, this machine's clock is wrong: synchronise it (NTP).")
        {
            AccountAddress = context.Account.Address,
            CloudProviderName = context.Account.CloudProviderName,
        };
    }

    // The earlier of the token's own exp and what its provider said, when that has passed.
    private static DateTimeOffset? ExpiredAt(OAuthAuthenticationContext context, AccessToken token)
    {
        var expiresOn = token.ExpiresOn;
        if (TokenClaims.TryRead(token.Token)?.ExpiresOn is { } exp && exp < expiresOn)
        {
            expiresOn = exp;
        }

        return expiresOn <= context.TimeProvider.GetUtcNow() ? expiresOn : null;
    }

    /// <summary>
    /// A shared mailbox's IMAP or POP3 login refused although the token is the agent's own (its <c>upn</c> is the account's
    /// <see cref="EmailAccount.SignInUser"/>) and its claims show nothing wrong for the protocol: the agent has no Full Access to
    /// the mailbox, which no token can change. <see langword="null"/> when the token may be the cause (unreadable, another user,
    /// expired, wrong audience or scope, near its expiry) or the login is the agent's own (SMTP).
    /// </summary>
    private static MailServerFailure? DelegateRefused(OAuthAuthenticationContext context, AccessToken token)
    {
        var account = context.Account;
        if (account.SignInUser is not { } agent
            || context.Protocol == MailProtocol.Smtp
            || string.Equals(context.LoginName, agent, StringComparison.OrdinalIgnoreCase)
            || TokenClaims.TryRead(token.Token) is not { IsAppOnly: false } claims
            || !string.Equals(claims.UserPrincipalName, agent, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var now = context.TimeProvider.GetUtcNow();
        var expiresOn = claims.ExpiresOn is { } exp && exp < token.ExpiresOn ? exp : token.ExpiresOn;
        if (expiresOn - now <= TokenRefusalPolicy.NearExpiry || TokenDiagnosis.Findings(claims, account, context.Protocol, context.Provider, now).Count > 0)
        {
            return null;
        }

        return MailServerFailures.DelegateWithoutFullAccess(context.Protocol, agent);
    }

    // This mailbox refused this very token before (after a fresh one was obtained for it): the token is not the cause.
    private static MailServerFailure AlreadyRefused(MailServerFailure failure) => failure with
    {
        Category = ModernAuthErrorCategory.MailboxPermissionDenied,
        Kind = MailRefusalKind.Permission,
        Summary = failure.Summary + " This mailbox refused this same token before, when it was freshly obtained, so no new token was requested: "
            + "this mailbox's permission, or the application's registration in Exchange Online, is the cause.",
    };

    // The same refusal, now known not to be the token's fault: a problem of this mailbox's permission.
    private static MailServerFailure ConfirmedByFreshToken(MailServerFailure failure) => failure with
    {
        Category = ModernAuthErrorCategory.MailboxPermissionDenied,
        Kind = MailRefusalKind.Permission,
        Summary = failure.Summary + " A freshly obtained token was refused too, so the token is not the cause: this mailbox's permission, "
            + "or the application's registration in Exchange Online, is.",
    };

    // After a protocol error the session is out of step (a POP3 server still waits for the answer to its challenge): only a new
    // connection is clean, so the client is disconnected, without QUIT, which the server would read as that answer.
    private static async Task DisconnectIfOutOfStepAsync(IMailService client, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is ProtocolException && client.IsConnected)
        {
            await client.DisconnectAsync(false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The refusal a MailKit exception stands for, or <see langword="null"/> when it is not a refusal.</summary>
    /// <param name="context">The authentication context.</param>
    /// <param name="exception">What MailKit threw.</param>
    /// <param name="client">The client, when the exception comes from AUTHENTICATE itself.</param>
    /// <returns>The table entry.</returns>
    public static MailServerFailure? Classify(OAuthAuthenticationContext context, Exception exception, IMailService? client = null) => exception switch
    {
        AuthenticationException => MailServerFailures.Find(context.Protocol, ServerResponse(context, exception)) ?? MailServerFailures.Fallback(context.Protocol),

        // A server that hangs up on a refused token (IMAP "* BYE" before "NO") makes MailKit report a protocol error instead.
        // MailKit's POP3 client does not answer the SASL error challenge (RFC 7628) a server such as Dovecot sends before its -ERR,
        // and throws a protocol error from AUTH while still connected: a refused token too.
        ProtocolException when client is { IsConnected: false } or Pop3Client { IsAuthenticated: false } =>
            MailServerFailures.Find(context.Protocol, ServerResponse(context, exception)) ?? MailServerFailures.Fallback(context.Protocol),

        // After a successful AUTHENTICATE, MailKit's own follow-up commands may meet a known refusal (IMAP "BAD User is authenticated but not connected").
        CommandException => MailServerFailures.Find(context.Protocol, ServerResponse(context, exception)),
        _ => null,
    };

    /// <summary>The server's own words behind a MailKit exception, never containing what the client sent.</summary>
    /// <param name="context">The authentication context, which may hold the server's last line.</param>
    /// <param name="exception">What MailKit threw.</param>
    /// <returns>The response text.</returns>
    public static string ServerResponse(OAuthAuthenticationContext context, Exception exception) => exception switch
    {
        SmtpCommandException smtp => $"{(int)smtp.StatusCode} {smtp.Message}",
        ImapCommandException imap => $"{imap.Response.ToString().ToUpperInvariant()} {imap.ResponseText}",
        Pop3CommandException pop => $"-ERR {pop.StatusText}",
        AuthenticationException { InnerException: CommandException inner } => ServerResponse(context, inner),

        // MailKit words some refusals only as "Authentication failed."; the recorded line has the server's diagnosis.
        AuthenticationException or ProtocolException when context.LastServerLine?.Invoke() is { Length: > 0 } line => Readable(ImapTag().Replace(line, string.Empty)),
        _ => SmtpStatusPrefix().Replace(exception.Message, "$1 "),
    };

    // A SASL error challenge (RFC 7628 3.2.2: "+ " and base64 JSON such as {"status":"401",...}) is shown decoded.
    private static string Readable(string line)
    {
        if (!line.StartsWith("+ ", StringComparison.Ordinal))
        {
            return line;
        }

        var payload = line[2..].Trim();
        var buffer = new byte[payload.Length];
        if (!Convert.TryFromBase64String(payload, buffer, out var length))
        {
            return line;
        }

        var json = System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        return json.StartsWith('{') && json.EndsWith('}') && json.All(c => c is >= ' ' and <= '~') ? "+ " + json : line;
    }

    /// <summary>The exception for a refusal, with the advice for the account's flow and what the token's claims show.</summary>
    /// <param name="context">The authentication context.</param>
    /// <param name="failure">The refusal.</param>
    /// <param name="exception">What MailKit threw.</param>
    /// <param name="token">The token the server refused or accepted, whose claims are read (never quoted).</param>
    /// <param name="retried">Whether a fresh token was tried too.</param>
    /// <param name="mailbox">The mailbox the advice is about, when not the account's own (a refused From address).</param>
    /// <returns>The exception to throw.</returns>
    public static ModernAuthException CreateException(
        OAuthAuthenticationContext context, MailServerFailure failure, Exception exception, AccessToken? token, bool retried, string? mailbox = null)
    {
        var account = context.Account;
        var response = ServerResponse(context, exception);
        var again = retried ? ", also with a freshly obtained token" : string.Empty;
        var signedIn = account.SignInUser is { } agent ? $", signed in as {agent}" : string.Empty;
        var message = $"{failure.Summary} Email account {account.Address} (user name {context.LoginName}{signedIn}, cloud provider {account.CloudProviderName}) "
            + $"at {context.EndpointDescription}{again}; the server said: \"{response}\".";
        return new ModernAuthException(failure.Category, message, Advice(context, failure, token, mailbox ?? account.Address), exception)
        {
            AccountAddress = account.Address,
            CloudProviderName = account.CloudProviderName,
            ServerResponse = response,
            ErrorCode = EnhancedStatusCode().Match(response) is { Success: true } code ? code.Value : null,
            RetryAfter = failure.Kind == MailRefusalKind.ServerBusy && SuggestedBackoff().Match(response) is { Success: true } backoff
                && long.TryParse(backoff.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
                    ? TimeSpan.FromMilliseconds(milliseconds)
                    : null,
        };
    }

    private static string Advice(OAuthAuthenticationContext context, MailServerFailure failure, AccessToken? token, string mailbox)
    {
        var advice = context.Flow switch
        {
            AuthFlow.AppOnly => failure.AppOnlyAdvice,
            AuthFlow.Delegated => failure.DelegatedAdvice,
            _ when failure.AppOnlyAdvice == failure.DelegatedAdvice => failure.AppOnlyAdvice,
            _ => failure.AppOnlyAdvice + " " + failure.DelegatedAdvice,
        };

        advice = advice
            .Replace("{mailbox}", mailbox, StringComparison.Ordinal)
            .Replace("{signInUser}", context.Account.SignInUser ?? context.Account.SmtpUserName, StringComparison.Ordinal)
            .Replace("{clientId}", context.ClientId ?? "<clientId>", StringComparison.Ordinal)
            .Replace("{appPermission}", TokenDiagnosis.AppPermission(context.Protocol), StringComparison.Ordinal)
            .Replace("{userPermission}", TokenDiagnosis.UserPermission(context.Protocol), StringComparison.Ordinal);

        // A limit or a disabled protocol has nothing to do with the token; for the rest, what the token says comes first.
        if (failure.Kind is MailRefusalKind.ServerBusy or MailRefusalKind.ProtocolDisabled || TokenClaims.TryRead(token?.Token) is not { } claims)
        {
            return advice;
        }

        var findings = TokenDiagnosis.Describe(TokenDiagnosis.Findings(claims, context.Account, context.Protocol, context.Provider, context.TimeProvider.GetUtcNow()));
        return findings is null ? advice : findings + " " + advice;
    }

    /// <summary>Checks what must hold before a token is even requested: connected, TLS, a mechanism that carries tokens.</summary>
    private static string EnsureReady(IMailService client, OAuthAuthenticationContext context)
    {
        if (!client.IsConnected)
        {
            throw new ServiceNotConnectedException($"Connect the {context.Protocol} client before authenticating {context.Account.Address}.");
        }

        if (!client.IsSecure)
        {
            if (!MailSecurity.ClearTextAllowed(context.Endpoint, context.AllowClearTextOnLoopback))
            {
                throw MailSecurity.Insecure(context.Account, context.Protocol, context.EndpointDescription, "the connection is not protected by TLS.");
            }

            LogClearText(context.Logger, context.Account.Address, context.Protocol, context.EndpointDescription);
        }

        return OAuthSaslMechanisms.Choose(client.AuthenticationMechanisms) ?? throw Unsupported(client, context);
    }

    internal static ModernAuthException Unsupported(IMailService client, OAuthAuthenticationContext context)
    {
        var offered = client.AuthenticationMechanisms.Count == 0 ? "no SASL mechanism" : string.Join(", ", client.AuthenticationMechanisms.Order(StringComparer.Ordinal));
        var protocol = context.Protocol.ToString().ToUpperInvariant();
        return new ModernAuthException(
            ModernAuthErrorCategory.UnsupportedServer,
            $"The {protocol} server at {context.EndpointDescription} offers neither XOAUTH2 nor OAUTHBEARER (it offers {offered}), so email account "
                + $"{context.Account.Address} cannot sign in with an access token.",
            $"Point the account's {context.Protocol} endpoint at Exchange Online (IMAP outlook.office365.com:993, POP3 outlook.office365.com:995, "
                + "SMTP smtp.office365.com:587 with STARTTLS) or at a server that supports OAuth 2.0 SASL.")
        {
            AccountAddress = context.Account.Address,
            CloudProviderName = context.Account.CloudProviderName,
        };
    }

    // MailKit words a failed SMTP AUTH as "535: 5.7.3 ..."; the server sent "535 5.7.3 ...".
    [GeneratedRegex(@"^(\d{3}):\s")]
    private static partial Regex SmtpStatusPrefix();

    [GeneratedRegex(@"^[A-Za-z]+\d+ ")]
    private static partial Regex ImapTag();

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex EnhancedStatusCode();

    // Exchange Online: "Request is throttled. Suggested Backoff Time: 178755 milliseconds".
    [GeneratedRegex(@"Suggested Backoff Time:\s*(\d{1,9})\s*milliseconds", RegexOptions.IgnoreCase)]
    private static partial Regex SuggestedBackoff();
}
