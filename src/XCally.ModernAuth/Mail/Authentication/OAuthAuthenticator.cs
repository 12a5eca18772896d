using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The one authentication core behind the IMAP, POP3 and SMTP extension methods and the connector: refuses clear text, picks
/// XOAUTH2 or OAUTHBEARER, authenticates with a fresh mechanism and token, and on a refused token invalidates it and retries
/// exactly once (reconnecting first if the server hung up). Failures become <see cref="ModernAuthException"/>s with the fix.
/// </summary>
internal static partial class OAuthAuthenticator
{
    public static async Task AuthenticateAsync(IMailService client, OAuthAuthenticationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(context);

        var mechanism = EnsureReady(client, context);
        var token = await context.TokenProvider.GetAccessTokenAsync(context.Account, context.Protocol, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.AuthenticateAsync(OAuthSaslMechanisms.Create(mechanism, context.Account.UserName, token), cancellationToken).ConfigureAwait(false);
            LogAuthenticated(context.Logger, context.Account.Address, context.Protocol, mechanism);
            return;
        }
        catch (Exception ex) when (Classify(context, ex, client) is { } failure)
        {
            if (!failure.RetryWithFreshToken)
            {
                throw CreateException(context, failure, ex, retried: false);
            }

            LogRetrying(context.Logger, context.Account.Address, context.Protocol, ServerResponse(context, ex));
            await context.TokenProvider.InvalidateAsync(context.Account, context.Protocol, token, cancellationToken).ConfigureAwait(false);
            await DisconnectIfOutOfStepAsync(client, ex, cancellationToken).ConfigureAwait(false);
            if (!client.IsConnected)
            {
                if (context.Reconnect is null)
                {
                    throw CreateException(context, failure, ex, retried: false);
                }

                await context.Reconnect(cancellationToken).ConfigureAwait(false);
                mechanism = EnsureReady(client, context);
            }
        }

        var fresh = await context.TokenProvider.GetAccessTokenAsync(context.Account, context.Protocol, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.AuthenticateAsync(OAuthSaslMechanisms.Create(mechanism, context.Account.UserName, fresh), cancellationToken).ConfigureAwait(false);
            LogAuthenticated(context.Logger, context.Account.Address, context.Protocol, mechanism);
        }
        catch (Exception ex) when (Classify(context, ex, client) is { } failure)
        {
            await DisconnectIfOutOfStepAsync(client, ex, cancellationToken).ConfigureAwait(false);
            throw CreateException(context, failure, ex, retried: failure.RetryWithFreshToken);
        }
    }

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

    /// <summary>The exception for a refusal, with the advice for the account's flow.</summary>
    /// <param name="context">The authentication context.</param>
    /// <param name="failure">The refusal.</param>
    /// <param name="exception">What MailKit threw.</param>
    /// <param name="retried">Whether a fresh token was tried too.</param>
    /// <returns>The exception to throw.</returns>
    public static ModernAuthException CreateException(OAuthAuthenticationContext context, MailServerFailure failure, Exception exception, bool retried)
    {
        var account = context.Account;
        var response = ServerResponse(context, exception);
        var again = retried ? ", also with a freshly obtained token" : string.Empty;
        var message = $"{failure.Summary} Email account {account.Address} (user name {account.UserName}, cloud provider {account.CloudProviderName}) "
            + $"at {context.EndpointDescription}{again}; the server said: \"{response}\".";
        return new ModernAuthException(failure.Category, message, Advice(context, failure), exception)
        {
            AccountAddress = account.Address,
            CloudProviderName = account.CloudProviderName,
            ServerResponse = response,
            ErrorCode = EnhancedStatusCode().Match(response) is { Success: true } code ? code.Value : null,
        };
    }

    private static string Advice(OAuthAuthenticationContext context, MailServerFailure failure)
    {
        var advice = context.Flow switch
        {
            AuthFlow.AppOnly => failure.AppOnlyAdvice,
            AuthFlow.Delegated => failure.DelegatedAdvice,
            _ when failure.AppOnlyAdvice == failure.DelegatedAdvice => failure.AppOnlyAdvice,
            _ => failure.AppOnlyAdvice + " " + failure.DelegatedAdvice,
        };

        var (appPermission, userPermission) = context.Protocol switch
        {
            MailProtocol.Imap => ("IMAP.AccessAsApp", "IMAP.AccessAsUser.All"),
            MailProtocol.Pop3 => ("POP.AccessAsApp", "POP.AccessAsUser.All"),
            _ => ("SMTP.SendAsApp", "SMTP.Send"),
        };

        return advice
            .Replace("{mailbox}", context.Account.Address, StringComparison.Ordinal)
            .Replace("{clientId}", context.ClientId ?? "<clientId>", StringComparison.Ordinal)
            .Replace("{appPermission}", appPermission, StringComparison.Ordinal)
            .Replace("{userPermission}", userPermission, StringComparison.Ordinal);
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

    private static ModernAuthException Unsupported(IMailService client, OAuthAuthenticationContext context)
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
}
