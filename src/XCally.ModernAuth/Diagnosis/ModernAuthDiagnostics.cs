using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The diagnosis of an account, step by step, and the status of every provider and account, on the SDK's own stores, token
/// provider and connector: what it checks is what the host's mail will meet.
/// </summary>
internal sealed partial class ModernAuthDiagnostics(
    IServiceProvider services,
    IHttpClientFactory httpClients,
    TokenOutcomes outcomes,
    MailActivity activity,
    IOptions<CredentialExpiryOptions> expiryOptions,
    TimeProvider timeProvider) : IModernAuthDiagnostics
{
    private static readonly string[] LaterThanConfiguration =
    [
        "The credential's expiry",
        "The tenant known to the identity platform",
        "A token",
        "The token's claims against what the account needs",
        "Each enabled protocol: TCP and TLS, SASL mechanism, sign-in, mailbox",
    ];

    // Resolved when used, not when the diagnosis is made: a configuration the stores refuse is the first step's finding, not a crash.
    private IEmailAccountStore Accounts => services.GetRequiredService<IEmailAccountStore>();

    private ICloudProviderStore Providers => services.GetRequiredService<ICloudProviderStore>();

    private ITokenProvider Tokens => services.GetRequiredService<ITokenProvider>();

    public async Task<ModernAuthDiagnosis> DiagnoseAsync(string accountAddress, DiagnosisScope scope = DiagnosisScope.Full, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountAddress);
        var startedAt = timeProvider.GetUtcNow();
        var started = timeProvider.GetTimestamp();
        var run = new DiagnosisRun(timeProvider);
        var state = new State(accountAddress);
        try
        {
            var configuration = new PlannedStep("configuration", "Configuration: the email account and its cloud provider", ct => ConfigurationAsync(state, ct));
            if (await run.RunAsync([configuration], LaterThanConfiguration, cancellationToken).ConfigureAwait(false))
            {
                await run.RunAsync(Plan(state, scope), [], cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await state.DisposeAsync().ConfigureAwait(false);
        }

        return new ModernAuthDiagnosis(accountAddress, state.Provider?.Name ?? state.Account?.CloudProviderName, scope, startedAt, timeProvider.GetElapsedTime(started), run.Steps);
    }

    private List<PlannedStep> Plan(State state, DiagnosisScope scope)
    {
        var account = state.Account!;
        var provider = state.Provider!;
        var plan = new List<PlannedStep>
        {
            new("credential", $"Credential: the {provider.Credential.Description}'s expiry", _ => Task.FromResult(Credential(provider))),
        };
        if (scope == DiagnosisScope.Full)
        {
            plan.Add(new("tenant", $"Tenant: {provider.TenantId} known to the identity platform ({provider.AuthorityHost.Host})", ct => TenantAsync(provider, ct)));
        }

        var resource = account.Transport == MailTransport.Graph ? TokenResource.MicrosoftGraph : TokenResource.ExchangeOnline;
        plan.Add(new("token", $"Token: {(provider.Flow == AuthFlow.AppOnly ? "an app-only" : "a delegated")} token for {Describe(resource)}", ct => TokenAsync(state, resource, ct)));
        if (resource == TokenResource.ExchangeOnline)
        {
            plan.Add(new("claims", "Claims: the token's audience, roles or scopes and tenant against what the account needs", _ => Task.FromResult(Claims(state))));
        }

        if (scope == DiagnosisScope.Full && resource == TokenResource.ExchangeOnline)
        {
            foreach (var protocol in new[] { MailProtocol.Imap, MailProtocol.Pop3, MailProtocol.Smtp })
            {
                if (account.GetEndpoint(protocol) is { } endpoint)
                {
                    plan.AddRange(ProtocolSteps(state, protocol, endpoint));
                }
            }
        }

        return plan;
    }

    private async Task<StepResult> ConfigurationAsync(State state, CancellationToken cancellationToken)
    {
        try
        {
            state.Account = await Accounts.FindAsync(state.Address, cancellationToken).ConfigureAwait(false);
            if (state.Account is null)
            {
                return StepResult.Failed(
                    $"No email account with the address '{state.Address}' is configured.",
                    "Add it under XCallyModernAuth:EmailAccounts (Address and CloudProvider) or with AddEmailAccount(...), or register an IEmailAccountStore that knows it.",
                    ModernAuthErrorCategory.InvalidConfiguration);
            }

            state.Provider = await Providers.FindAsync(state.Account.CloudProviderName, cancellationToken).ConfigureAwait(false);
            if (state.Provider is null)
            {
                return StepResult.Failed(
                    $"Email account {state.Address} names cloud provider '{state.Account.CloudProviderName}', which is not configured.",
                    $"Add cloud provider '{state.Account.CloudProviderName}' under XCallyModernAuth:CloudProviders, or correct the account's CloudProvider.",
                    ModernAuthErrorCategory.InvalidConfiguration);
            }
        }
        catch (OptionsValidationException invalid)
        {
            // The configuration's own checks (a Graph scope for the mail servers, a missing tenant, two credentials) in their words.
            return StepResult.Failed(string.Join(" ", invalid.Failures), string.Join(" ", invalid.Failures), ModernAuthErrorCategory.InvalidConfiguration);
        }
        catch (ModernAuthException invalid) when (invalid.Category == ModernAuthErrorCategory.InvalidConfiguration)
        {
            return StepResult.Failed(invalid.Summary, invalid.Advice ?? invalid.Summary, invalid.Category);
        }

        var account = state.Account;
        var provider = state.Provider;
        var protocols = string.Join(", ", new[] { MailProtocol.Imap, MailProtocol.Pop3, MailProtocol.Smtp }
            .Where(protocol => account.GetEndpoint(protocol) is not null)
            .Select(protocol => $"{protocol.ToString().ToUpperInvariant()} {account.GetEndpoint(protocol)}"));
        return StepResult.Passed(string.Create(
            CultureInfo.InvariantCulture,
            $"Account {account.Address} (user {account.UserName}, transport {account.Transport}{(protocols.Length == 0 ? string.Empty : ", " + protocols)}); cloud provider '{provider.Name}': {provider.Flow}, tenant {provider.TenantId}, client id {provider.ClientId}, {provider.Credential.Description}, {provider.Cloud} cloud."));
    }

    private StepResult Credential(CloudProvider provider)
    {
        if (CredentialExpiry.Of(provider.Credential) is not { } expiry)
        {
            return StepResult.Passed($"The {provider.Credential.Description} has no expiry the SDK knows of.");
        }

        var now = timeProvider.GetUtcNow();
        var days = expiry.DaysLeft(now);
        if (expiry.ExpiresOn <= now)
        {
            return StepResult.Failed(
                $"The {expiry.What} expired on {expiry.ExpiresOn.UtcDateTime:yyyy-MM-dd}.",
                char.ToUpperInvariant(expiry.Renewal(provider.Name)[0]) + expiry.Renewal(provider.Name)[1..] + ".",
                ModernAuthErrorCategory.ClientSecretExpired);
        }

        if (expiry.NotBefore is { } notBefore && notBefore > now)
        {
            return StepResult.Failed($"The {expiry.What} is valid only from {notBefore.UtcDateTime:u}.", "Use a certificate that is valid now, or correct this machine's clock.", ModernAuthErrorCategory.InvalidClientCertificate);
        }

        var evidence = $"The {expiry.What} expires on {expiry.ExpiresOn.UtcDateTime:yyyy-MM-dd}, in {days} days.";
        return expiry.ExpiresOn - now <= expiryOptions.Value.WarningWindow
            ? StepResult.Warning(evidence, char.ToUpperInvariant(expiry.Renewal(provider.Name)[0]) + expiry.Renewal(provider.Name)[1..] + " before then.")
            : StepResult.Passed(evidence);
    }

    private async Task<StepResult> TenantAsync(CloudProvider provider, CancellationToken cancellationToken)
    {
        var metadata = new Uri(provider.Authority.AbsoluteUri.TrimEnd('/') + "/v2.0/.well-known/openid-configuration");
        var fix = $"Set TenantId of cloud provider '{provider.Name}' to the Directory (tenant) ID shown on the app registration's Overview page in the Entra admin center (or the tenant's primary domain).";
        try
        {
            using var client = httpClients.CreateClient(ModernAuthDefaults.HttpClientName);
            using var response = await client.GetAsync(metadata, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var root = document.RootElement;
            if (response.IsSuccessStatusCode && root.TryGetProperty("issuer", out var issuer))
            {
                return StepResult.Passed($"{metadata.Host} knows the tenant: issuer {issuer.GetString()}.");
            }

            var description = root.TryGetProperty("error_description", out var text) ? FirstLine(text.GetString()) : $"HTTP {(int)response.StatusCode}";
            return StepResult.Failed($"The identity platform said: \"{description}\"", fix, ModernAuthErrorCategory.TenantNotFound);
        }
        catch (Exception error) when (error is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return StepResult.Failed(
                $"{metadata.GetLeftPart(UriPartial.Authority)} could not be read: {error.Message}",
                $"Let this host reach {metadata.Host} over HTTPS (firewall, proxy: configure the '{ModernAuthDefaults.HttpClientName}' HTTP client), and check AuthorityHost and Cloud of cloud provider '{provider.Name}'.",
                ModernAuthErrorCategory.NetworkError);
        }
    }

    private async Task<StepResult> TokenAsync(State state, TokenResource resource, CancellationToken cancellationToken)
    {
        var token = await Tokens.GetAccessTokenAsync(state.Account!, resource, cancellationToken).ConfigureAwait(false);
        state.Token = token;
        var evidence = string.Create(CultureInfo.InvariantCulture, $"A token from {token.Source}, valid until {token.ExpiresOn.UtcDateTime:u}, for {string.Join(' ', token.Scopes)}.");
        var provider = state.Provider!;
        var record = outcomes.Find(provider.Name, provider.Flow == AuthFlow.Delegated ? state.Account!.Address : null, resource);
        return record?.CurrentFailure is { } failure
            ? StepResult.Warning($"{evidence} The last request for a new one failed: {failure.Summary}", failure.Advice ?? "See the host's log for the failed token request.", failure.Category)
            : StepResult.Passed(evidence);
    }

    private StepResult Claims(State state)
    {
        if (TokenClaims.TryRead(state.Token?.Token) is not { } claims)
        {
            return StepResult.Passed("The token is not a readable JSON Web Token; its claims cannot be checked here (the mail servers check it).");
        }

        var account = state.Account!;
        var provider = state.Provider!;
        var now = timeProvider.GetUtcNow();
        var protocols = new[] { MailProtocol.Imap, MailProtocol.Pop3, MailProtocol.Smtp }.Where(protocol => account.GetEndpoint(protocol) is not null);
        var findings = protocols
            .SelectMany(protocol => TokenDiagnosis.Findings(claims, account, protocol, provider, now))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        // The service principal's object id is a fact for the Exchange set-up, not a fault of the token.
        var facts = findings.Where(IsFact).ToList();
        var faults = findings.Where(finding => !IsFact(finding)).ToList();
        var evidence = Claimed(claims) + (facts.Count == 0 ? string.Empty : "; " + string.Join("; ", facts));
        return faults.Count == 0
            ? StepResult.Passed(evidence)
            : StepResult.Failed(evidence, "The token's claims: " + string.Join("; ", faults) + ".", CategoryOf(faults));

        static bool IsFact(string finding) => finding.StartsWith("its service principal's object id", StringComparison.Ordinal);
    }

    private IEnumerable<PlannedStep> ProtocolSteps(State state, MailProtocol protocol, MailEndpoint endpoint)
    {
        var name = protocol.ToString().ToLowerInvariant();
        var label = protocol.ToString().ToUpperInvariant();
        var mail = (MailClientConnector)services.GetRequiredService<IMailClientConnector>();
        yield return new($"{name}.connect", $"{label}: TCP and TLS to {endpoint}", async ct =>
        {
            var (client, recorder) = protocol switch
            {
                MailProtocol.Imap => await Open(log => new ImapClient(log)).ConfigureAwait(false),
                MailProtocol.Pop3 => await Open(log => new Pop3Client(log)).ConfigureAwait(false),
                _ => await Open(log => new DiagnosisSmtpClient(log)).ConfigureAwait(false),
            };
            state.Opened(client);
            state.Recorder = recorder;
            return StepResult.Passed($"Connected to {endpoint}{(client.IsSecure ? $", {client.SslProtocol}" : ", not encrypted")}.");

            async Task<(IMailService, ServerResponseRecorder)> Open<TClient>(Func<IProtocolLogger, TClient> create)
                where TClient : IMailService
            {
                var (opened, lines) = await mail.OpenAsync(state.Account!, protocol, create, ct).ConfigureAwait(false);
                return (opened, lines);
            }
        });
        yield return new($"{name}.sasl", $"{label}: the server offers XOAUTH2 or OAUTHBEARER", _ =>
        {
            var offered = state.Client!.AuthenticationMechanisms;
            var chosen = OAuthSaslMechanisms.Choose(offered);
            var list = offered.Count == 0 ? "none" : string.Join(", ", offered.Order(StringComparer.Ordinal));
            return Task.FromResult(chosen is null
                ? StepResult.From(OAuthAuthenticator.Unsupported(state.Client, new OAuthAuthenticationContext(state.Account!, protocol, Tokens)))
                : StepResult.Passed($"Offered: {list}; the SDK uses {chosen}."));
        });
        yield return new($"{name}.login", $"{label}: sign-in as {state.Account!.UserName}", async ct =>
        {
            try
            {
                state.Context = await mail.SignInAsync(state.Client!, state.Recorder!, state.Account!, protocol, ct).ConfigureAwait(false);
            }
            catch (ModernAuthException refused)
            {
                activity.SignInFailed(state.Account!, protocol, refused, timeProvider.GetUtcNow());
                throw;
            }

            activity.SignedIn(state.Account!, protocol, timeProvider.GetUtcNow());
            return StepResult.Passed($"Signed in; the server said: \"{FirstLine(state.Recorder!.LastServerLine)}\"");
        });
        if (protocol == MailProtocol.Imap)
        {
            yield return new("imap.inbox", "IMAP: INBOX selectable", async ct =>
            {
                var imap = (ImapClient)state.Client!;
                await MailClientConnector.VerifyImapAccessAsync(imap, state.Context!, ct).ConfigureAwait(false);
                await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, ct).ConfigureAwait(false);
                var count = imap.Inbox.Count;
                await imap.Inbox.CloseAsync(false, ct).ConfigureAwait(false);
                return StepResult.Passed(string.Create(CultureInfo.InvariantCulture, $"INBOX opened read-only: {count} messages."));
            });
        }
        else if (protocol == MailProtocol.Pop3)
        {
            yield return new("pop3.mailbox", "POP3: the mailbox readable", async ct =>
            {
                var pop3 = (Pop3Client)state.Client!;
                var count = await pop3.GetMessageCountAsync(ct).ConfigureAwait(false);
                return StepResult.Passed(string.Create(CultureInfo.InvariantCulture, $"STAT: {count} messages."));
            });
        }
        else
        {
            yield return new("smtp.mail-from", $"SMTP: MAIL FROM:<{state.Account!.Address}> accepted (then RSET: nothing is sent)", async ct =>
            {
                var smtp = (DiagnosisSmtpClient)state.Client!;
                var response = await smtp.CommandAsync($"MAIL FROM:<{state.Account!.Address}>\r\n", ct).ConfigureAwait(false);
                var said = $"{(int)response.StatusCode} {FirstLine(response.Response)}";
                await smtp.CommandAsync("RSET\r\n", ct).ConfigureAwait(false);
                return (int)response.StatusCode is >= 200 and < 300
                    ? StepResult.Passed($"The server said: \"{said}\"")
                    : StepResult.Failed(
                        $"The server said: \"{said}\"",
                        $"Let {state.Account.UserName} send as {state.Account.Address}: in Exchange Online PowerShell, Add-RecipientPermission -Identity {state.Account.Address} -Trustee <the app's service principal or the user> -AccessRights SendAs.",
                        ModernAuthErrorCategory.MailboxPermissionDenied);
            });
        }
    }

    private static string Describe(TokenResource resource) => resource == TokenResource.MicrosoftGraph ? "Microsoft Graph" : "Exchange Online";

    private static string Claimed(TokenClaims claims) =>
        $"aud {string.Join(' ', claims.Audiences)}; tid {claims.TenantId}; "
        + (claims.IsAppOnly ? $"roles {(claims.Roles.Count == 0 ? "(none)" : string.Join(' ', claims.Roles))}" : $"scp {string.Join(' ', claims.Scopes)}; upn {claims.UserPrincipalName}")
        + $"; appid {claims.ApplicationId}";

    private static ModernAuthErrorCategory CategoryOf(List<string> faults) =>
        faults.Any(f => f.StartsWith("it was issued by tenant", StringComparison.Ordinal)) ? ModernAuthErrorCategory.TenantNotFound
        : faults.Any(f => f.StartsWith("its audience", StringComparison.Ordinal)) ? ModernAuthErrorCategory.InvalidScope
        : faults.Any(f => f.StartsWith("it belongs to", StringComparison.Ordinal)) ? ModernAuthErrorCategory.WrongUserSignedIn
        : faults.Any(f => f.StartsWith("it expired", StringComparison.Ordinal)) ? ModernAuthErrorCategory.TokenExpired
        : ModernAuthErrorCategory.ConsentRequired;

    private static string FirstLine(string? text) =>
        text is null ? string.Empty : text.Split('\n', 2)[0].Trim();

    /// <summary>What the steps of one diagnosis hand on to each other; owns the mail clients it opened.</summary>
    private sealed class State(string address) : IAsyncDisposable
    {
        private readonly List<IMailService> _opened = [];

        public string Address { get; } = address;

        public EmailAccount? Account { get; set; }

        public CloudProvider? Provider { get; set; }

        public AccessToken? Token { get; set; }

        /// <summary>The client of the protocol being checked.</summary>
        public IMailService? Client { get; private set; }

        public ServerResponseRecorder? Recorder { get; set; }

        public OAuthAuthenticationContext? Context { get; set; }

        public void Opened(IMailService client)
        {
            _opened.Add(client);
            Client = client;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _opened)
            {
                await MailClientConnector.DisconnectQuietlyAsync(client).ConfigureAwait(false);
                client.Dispose();
            }
        }
    }
}
