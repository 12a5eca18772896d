using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using XCally.ModernAuth.InteropTests.Clients;
using XCally.ModernAuth.InteropTests.Hosting;
using XCally.ModernAuth.InteropTests.Stack;
using XCally.ModernAuth.InteropTests.Tokens;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.InteropTests;

/// <summary>
/// Starts the real Dovecot + Postfix stack and the SDK's identity emulator once for the collection, makes Dovecot trust the
/// emulator's signing key, and stops both afterwards. Tests make SDK hosts with <see cref="StartSignedInHostAsync(string[])"/>. On a machine without the
/// servers, tests report a skip naming the install command; under <c>CI=true</c> that is a failure instead, so CI cannot pass
/// without having talked to the real servers.
/// </summary>
/// <remarks>
/// Dovecot's oauth2 passdb takes the login name from the token's <c>upn</c>, which only delegated tokens carry. The hosts are
/// therefore what a real delegated deployment is: a cloud provider with <see cref="AuthFlow.Delegated"/> pointing at the emulator,
/// each mailbox a user of the emulator's directory (<see cref="ModernAuthEmulator.AddUserWithMailbox"/>, the mailbox's address as
/// <c>upn</c>), signed in once through <see cref="IModernAuthAuthorization"/>, and the SDK's own <see cref="ITokenProvider"/> (MSAL,
/// memory token cache) feeding the connector. Dovecot trusts the emulator's key in the folder of the application's client id (the
/// tokens' <c>azp</c>). Only tests that need a deliberately bad token (foreign key, other user) replace the provider with
/// <see cref="EmulatorDelegatedTokenProvider"/>, through <see cref="StartHostWithTestTokens"/>.
/// </remarks>
public sealed class MailStackFixture : IAsyncLifetime
{
    /// <summary>The cloud provider every host's accounts belong to.</summary>
    public const string CloudProviderName = "interop-emulator";

    private static readonly TimeSpan LogTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LogPollInterval = TimeSpan.FromMilliseconds(50);

    private MailStack? _stack;
    private ModernAuthEmulator? _emulator;
    private string? _unavailableReason;
    private X509Certificate2? _certificate;

    /// <summary>Mints tokens the SDK never would (real size, other user) with the emulator's key, for tests below the SDK.</summary>
    public TestTokenMinter Minter { get; private set; } = null!;

    /// <summary>MailKit clients with the stack's certificate pinned, for tests that look below the SDK.</summary>
    public DirectMailKitClients MailKit { get; private set; } = null!;

    /// <summary>The running stack; skips the calling test when the machine cannot run it.</summary>
    public MailStack Stack
    {
        get
        {
            if (_unavailableReason is not null)
            {
                Assert.Skip(_unavailableReason);
            }

            return _stack ?? throw new InvalidOperationException("The mail stack fixture was not initialized.");
        }
    }

    /// <summary>The identity emulator whose key Dovecot trusts.</summary>
    public ModernAuthEmulator Emulator
    {
        get
        {
            _ = Stack;
            return _emulator ?? throw new InvalidOperationException("The emulator was not started.");
        }
    }

    /// <summary>Where the servers listen.</summary>
    public MailStackEndpoints Endpoints => Stack.Endpoints;

    /// <summary>Dovecot IMAP over implicit TLS.</summary>
    public MailEndpoint Imaps => new(Endpoints.Host, Endpoints.ImapsPort, MailTlsMode.Implicit);

    /// <summary>Dovecot POP3 over implicit TLS.</summary>
    public MailEndpoint Pop3s => new(Endpoints.Host, Endpoints.Pop3sPort, MailTlsMode.Implicit);

    /// <summary>Postfix submission with STARTTLS.</summary>
    public MailEndpoint SmtpStartTls => new(Endpoints.Host, Endpoints.SmtpPort, MailTlsMode.StartTls);

    /// <summary>
    /// Builds an SDK host on the collection's emulator (see <see cref="StartHost(ModernAuthEmulator, string[])"/>) and signs each
    /// mailbox in once: from then on the SDK's own token provider feeds the connector.
    /// </summary>
    /// <param name="mailboxes">The mailbox addresses.</param>
    /// <returns>The host; dispose it.</returns>
    public Task<InteropHost> StartSignedInHostAsync(params string[] mailboxes) => StartSignedInHostAsync(Emulator, mailboxes);

    /// <summary>Builds an SDK host on <paramref name="emulator"/> and signs each mailbox in once.</summary>
    /// <param name="emulator">The emulator, the collection's or one from <see cref="StartTrustedEmulatorAsync"/>.</param>
    /// <param name="mailboxes">The mailbox addresses.</param>
    /// <returns>The host; dispose it.</returns>
    public async Task<InteropHost> StartSignedInHostAsync(ModernAuthEmulator emulator, params string[] mailboxes)
    {
        var host = StartHost(emulator, mailboxes);
        try
        {
            foreach (var mailbox in mailboxes)
            {
                await host.SignInAsync(mailbox);
            }

            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds an SDK host on the collection's emulator, nobody signed in yet.</summary>
    /// <param name="mailboxes">The mailbox addresses.</param>
    /// <returns>The host; dispose it.</returns>
    public InteropHost StartHost(params string[] mailboxes) => StartHost(Emulator, mailboxes);

    /// <summary>
    /// Builds an SDK host through the public API: a delegated cloud provider pointing at <paramref name="emulator"/> (its identity
    /// platform's certificate trusted, a memory token cache so that nothing is written to disk), an email account per mailbox on
    /// the stack's IMAPS, POP3S and submission (STARTTLS) ports, the stack's certificate pinned. Each mailbox becomes a user with
    /// a mailbox in the emulator's directory, its address the <c>upn</c>. Nobody is signed in yet.
    /// </summary>
    /// <param name="emulator">The emulator, the collection's or one from <see cref="StartTrustedEmulatorAsync"/>.</param>
    /// <param name="mailboxes">The mailbox addresses.</param>
    /// <returns>The host; dispose it.</returns>
    public InteropHost StartHost(ModernAuthEmulator emulator, params string[] mailboxes) => Build(emulator, mailboxes, tokenProvider: null);

    /// <summary>
    /// Builds an SDK host like <see cref="StartHost(string[])"/> whose token provider is <see cref="EmulatorDelegatedTokenProvider"/>,
    /// a test double that has the emulator issue tokens directly and can make them deliberately bad (signed by a foreign key,
    /// naming another user: tokens the SDK's own provider never hands out). Only for the tests of such refusals.
    /// </summary>
    /// <param name="mailboxes">The mailbox addresses.</param>
    /// <returns>The host; its <see cref="InteropHost.TestTokens"/> is the double. Dispose it.</returns>
    public InteropHost StartHostWithTestTokens(params string[] mailboxes) =>
        Build(Emulator, mailboxes, new EmulatorDelegatedTokenProvider(Emulator));

    /// <summary>
    /// Builds an SDK host like <see cref="StartHost(string[])"/> with the agent's own account and a shared mailbox account served by
    /// the agent's sign-in (<see cref="EmailAccountOptions.SignInUser"/>), and signs the agent in once. The shared mailbox is only
    /// an address in the emulator's directory: nobody can sign in as it.
    /// </summary>
    /// <param name="agent">The agent's address, the user who signs in.</param>
    /// <param name="shared">The shared mailbox's address.</param>
    /// <returns>The host; dispose it.</returns>
    public async Task<InteropHost> StartSignedInAgentWithSharedMailboxAsync(string agent, string shared)
    {
        if (Emulator.Directory.FindMailbox(shared) is null)
        {
            Emulator.AddMailbox(shared, grantFullAccess: false);
        }

        var host = Build(Emulator, [agent], tokenProvider: null, builder => builder.AddEmailAccount(shared, CloudProviderName, account =>
        {
            account.SignInUser = agent;
            Set(account.Imap, Imaps);
            Set(account.Pop3, Pop3s);
            Set(account.Smtp, SmtpStartTls);
        }));
        try
        {
            await host.SignInAsync(agent);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts another identity emulator (e.g. on a clock of its own) and makes Dovecot trust its key for its application's
    /// tokens, as for the collection's. The caller disposes it; its key stays in the stack's folder until the stack stops.
    /// </summary>
    /// <param name="options">The emulator's set-up.</param>
    /// <returns>The running emulator.</returns>
    public async Task<ModernAuthEmulator> StartTrustedEmulatorAsync(ModernAuthEmulatorOptions options)
    {
        var keyDirectory = Endpoints.KeyDirectory;
        var emulator = await ModernAuthEmulator.StartAsync(options, TestContext.Current.CancellationToken);
        DovecotKeyDirectory.Publish(keyDirectory, emulator.SigningKey.KeyId, emulator.SigningKey.ExportPublicKeyPem(), emulator.Application.ClientId);
        return emulator;
    }

    /// <summary>Asserts that Dovecot logs a line for <paramref name="mailbox"/> containing <paramref name="text"/>.</summary>
    /// <param name="mailbox">The login name.</param>
    /// <param name="text">Part of the logged line (a refusal's reason, or a login's <c>method=</c>).</param>
    /// <returns>A task that completes when the line is there.</returns>
    public Task AssertDovecotLoggedAsync(string mailbox, string text) =>
        AssertLoggedAsync("Dovecot", Stack.ReadDovecotLog, mailbox, line => line.Contains(text, StringComparison.Ordinal), $"'{text}'");

    /// <summary>Asserts that Dovecot logs a line for <paramref name="mailbox"/> that <paramref name="matches"/> accepts.</summary>
    /// <param name="mailbox">The login name.</param>
    /// <param name="matches">The test of a line.</param>
    /// <returns>A task that completes when the line is there.</returns>
    public Task AssertDovecotLoggedAsync(string mailbox, Func<string, bool> matches) =>
        AssertLoggedAsync("Dovecot", Stack.ReadDovecotLog, mailbox, matches, "the expected text");

    /// <summary>Asserts that Postfix logs a line for <paramref name="mailbox"/> containing <paramref name="text"/>.</summary>
    /// <param name="mailbox">The SASL user name.</param>
    /// <param name="text">Part of the logged line, e.g. <c>sasl_method=XOAUTH2</c>.</param>
    /// <returns>A task that completes when the line is there.</returns>
    public Task AssertPostfixLoggedAsync(string mailbox, string text) =>
        AssertLoggedAsync("Postfix", Stack.ReadPostfixLog, mailbox, line => line.Contains(text, StringComparison.Ordinal), $"'{text}'");

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        try
        {
            _stack = await MailStack.StartAsync();
        }
        catch (MailStackUnavailableException ex) when (!IsContinuousIntegration())
        {
            _unavailableReason = ex.Message;
            return;
        }

        _emulator = await ModernAuthEmulator.StartAsync();
        var key = _emulator.SigningKey;
        // Dovecot picks the key folder by the token's azp: the emulator's tokens name its application, minted ones name nobody.
        DovecotKeyDirectory.Publish(_stack.Endpoints.KeyDirectory, key.KeyId, key.ExportPublicKeyPem(), _emulator.Application.ClientId);
        DovecotKeyDirectory.Publish(_stack.Endpoints.KeyDirectory, key.KeyId, key.ExportPublicKeyPem());
        _certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(_stack.Endpoints.CertificateFile));
        Minter = new TestTokenMinter(key.SigningCredentials, TimeProvider.System);
        MailKit = new DirectMailKitClients(_certificate);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        _certificate?.Dispose();
    }

    private InteropHost Build(ModernAuthEmulator emulator, string[] mailboxes, ITokenProvider? tokenProvider, Action<IModernAuthBuilder>? addAccounts = null)
    {
        _ = Stack;
        var services = new ServiceCollection();
        services.AddLogging();
        // The identity platform's run-time certificate, trusted for the SDK's (MSAL's) HTTP client only.
        services.AddHttpClient(ModernAuthDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(emulator.Identity.CreateHttpMessageHandler);
        var builder = services.AddXCallyModernAuth()
            .AddCloudProvider(CloudProviderName, provider => emulator.ConfigureCloudProvider(provider, AuthFlow.Delegated))
            .UseMemoryTokenCache()
            .ConfigureMailConnector(options =>
            {
                options.ServerCertificateValidationCallback = (_, certificate, _, _) => MailKit.IsStackCertificate(certificate);
                options.Timeout = DirectMailKitClients.ProtocolTimeout;
            });
        foreach (var mailbox in mailboxes)
        {
            if (emulator.Directory.FindMailbox(mailbox) is null)
            {
                emulator.AddUserWithMailbox(mailbox);
            }

            builder.AddEmailAccount(mailbox, CloudProviderName, account =>
            {
                Set(account.Imap, Imaps);
                Set(account.Pop3, Pop3s);
                Set(account.Smtp, SmtpStartTls);
            });
        }

        addAccounts?.Invoke(builder);
        if (tokenProvider is not null)
        {
            // After AddXCallyModernAuth, whose registration yields to the host's.
            services.AddSingleton<ITokenProvider>(tokenProvider);
        }

        return new InteropHost(
            services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }),
            emulator,
            MailKit);
    }

    // The servers write their logs through a log process, a moment after the client got its answer: poll, bounded.
    private static async Task AssertLoggedAsync(string server, Func<string> readLog, string mailbox, Func<string, bool> matches, string what)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(LogTimeout);
        string[] lines;
        while (true)
        {
            lines = [.. readLog().Split('\n').Where(line => line.Contains(mailbox, StringComparison.Ordinal))];
            if (lines.Any(matches) || deadline.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(LogPollInterval, deadline.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                // One last read above decides.
            }
        }

        Assert.True(
            lines.Any(matches),
            $"{server} logged no line for {mailbox} with {what} within {LogTimeout.TotalSeconds} s. Its lines for that mailbox:\n{string.Join('\n', lines)}");
    }

    private static void Set(MailEndpointOptions options, MailEndpoint endpoint)
    {
        options.Host = endpoint.Host;
        options.Port = endpoint.Port;
        options.TlsMode = endpoint.TlsMode;
    }

    private static bool IsContinuousIntegration() =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
