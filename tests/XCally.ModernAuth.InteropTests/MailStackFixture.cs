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
/// emulator's signing key, and stops both afterwards. Tests make SDK hosts with <see cref="StartHost"/>. On a machine without the
/// servers, tests report a skip naming the install command; under <c>CI=true</c> that is a failure instead, so CI cannot pass
/// without having talked to the real servers.
/// </summary>
/// <remarks>
/// Dovecot's oauth2 passdb takes the login name from the token's <c>upn</c>, which the SDK's app-only (client credentials) tokens
/// do not carry; the hosts therefore get their tokens from <see cref="EmulatorDelegatedTokenProvider"/>, delegated tokens issued by
/// the same emulator for a directory user named like the mailbox. When the SDK's own delegated flow is available, a host can use it
/// (provider <see cref="AuthFlow.Delegated"/>, no provider replacement) and get tokens of the same shape.
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
    /// Builds an SDK host through the public API: the emulator as cloud provider, an email account per mailbox on the stack's
    /// IMAPS, POP3S and submission (STARTTLS) ports, the stack's certificate pinned, and <see cref="EmulatorDelegatedTokenProvider"/>
    /// in place of the default token provider. Each mailbox gets a directory user of the same name (its <c>upn</c>).
    /// </summary>
    /// <param name="mailboxes">The mailbox addresses.</param>
    /// <returns>The host; dispose it.</returns>
    public InteropHost StartHost(params string[] mailboxes)
    {
        var emulator = Emulator;
        var services = new ServiceCollection();
        services.AddLogging();
        var builder = services.AddXCallyModernAuth()
            .AddCloudProvider(CloudProviderName, provider => emulator.ConfigureCloudProvider(provider, AuthFlow.Delegated))
            .ConfigureMailConnector(options =>
            {
                options.ServerCertificateValidationCallback = (_, certificate, _, _) => MailKit.IsStackCertificate(certificate);
                options.Timeout = DirectMailKitClients.ProtocolTimeout;
            });
        foreach (var mailbox in mailboxes)
        {
            if (emulator.Directory.FindUser(mailbox) is null)
            {
                emulator.Directory.AddUser(emulator.Tenant, mailbox);
            }

            builder.AddEmailAccount(mailbox, CloudProviderName, account =>
            {
                Set(account.Imap, Imaps);
                Set(account.Pop3, Pop3s);
                Set(account.Smtp, SmtpStartTls);
            });
        }

        // After AddXCallyModernAuth, whose registration yields to the host's.
        services.AddSingleton<ITokenProvider>(new EmulatorDelegatedTokenProvider(emulator));
        return new InteropHost(
            services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }),
            MailKit);
    }

    /// <summary>Asserts that Dovecot logs a line for <paramref name="mailbox"/> containing <paramref name="text"/>.</summary>
    /// <param name="mailbox">The login name.</param>
    /// <param name="text">Part of the logged line (a refusal's reason, or a login's <c>method=</c>).</param>
    /// <returns>A task that completes when the line is there.</returns>
    public Task AssertDovecotLoggedAsync(string mailbox, string text) => AssertLoggedAsync("Dovecot", Stack.ReadDovecotLog, mailbox, text);

    /// <summary>Asserts that Postfix logs a line for <paramref name="mailbox"/> containing <paramref name="text"/>.</summary>
    /// <param name="mailbox">The SASL user name.</param>
    /// <param name="text">Part of the logged line, e.g. <c>sasl_method=XOAUTH2</c>.</param>
    /// <returns>A task that completes when the line is there.</returns>
    public Task AssertPostfixLoggedAsync(string mailbox, string text) => AssertLoggedAsync("Postfix", Stack.ReadPostfixLog, mailbox, text);

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

    // The servers write their logs through a log process, a moment after the client got its answer: poll, bounded.
    private static async Task AssertLoggedAsync(string server, Func<string> readLog, string mailbox, string text)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(LogTimeout);
        string[] lines;
        while (true)
        {
            lines = [.. readLog().Split('\n').Where(line => line.Contains(mailbox, StringComparison.Ordinal))];
            if (lines.Any(line => line.Contains(text, StringComparison.Ordinal)) || deadline.IsCancellationRequested)
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
            lines.Any(line => line.Contains(text, StringComparison.Ordinal)),
            $"{server} logged no line for {mailbox} with '{text}' within {LogTimeout.TotalSeconds} s. Its lines for that mailbox:\n{string.Join('\n', lines)}");
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
