using System.Security.Cryptography.X509Certificates;
using XCally.ModernAuth.InteropTests.Clients;
using XCally.ModernAuth.InteropTests.Stack;
using XCally.ModernAuth.InteropTests.Tokens;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.InteropTests;

/// <summary>
/// Starts the real Dovecot + Postfix stack once for the collection, makes it trust a run-time signing key, and stops it by pid
/// afterwards. On a machine without the servers, tests report a skip naming the install command; under <c>CI=true</c> that is a
/// failure instead, so CI cannot pass without having talked to the real servers.
/// </summary>
public sealed class MailStackFixture : IAsyncLifetime
{
    private MailStack? _stack;
    private string? _unavailableReason;
    private X509Certificate2? _certificate;

    /// <summary>The key the stack trusts; tokens signed with it carry its <c>kid</c>.</summary>
    public EmulatorSigningKey TrustedKey { get; } = new();

    /// <summary>Mints tokens (good and deliberately bad) with <see cref="TrustedKey"/>.</summary>
    public TestTokenMinter Minter { get; private set; } = null!;

    /// <summary>Seam: where valid tokens come from.</summary>
    public IInteropTokenSource Tokens { get; private set; } = null!;

    /// <summary>Seam: how connected, authenticated clients are made.</summary>
    public IInteropMailClients Clients { get; private set; } = null!;

    /// <summary>MailKit clients with the stack's certificate pinned, for tests that send a chosen token.</summary>
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

    /// <summary>Where the servers listen.</summary>
    public MailStackEndpoints Endpoints => Stack.Endpoints;

    /// <summary>Dovecot IMAP over implicit TLS.</summary>
    public MailEndpoint Imaps => new(Endpoints.Host, Endpoints.ImapsPort, MailTlsMode.Implicit);

    /// <summary>Dovecot POP3 over implicit TLS.</summary>
    public MailEndpoint Pop3s => new(Endpoints.Host, Endpoints.Pop3sPort, MailTlsMode.Implicit);

    /// <summary>Postfix submission with STARTTLS.</summary>
    public MailEndpoint SmtpStartTls => new(Endpoints.Host, Endpoints.SmtpPort, MailTlsMode.StartTls);

    /// <summary>Asserts that Dovecot logged a refusal for <paramref name="mailbox"/> with the given reason.</summary>
    /// <param name="mailbox">The login name.</param>
    /// <param name="reason">Part of the logged reason.</param>
    public void AssertDovecotLogged(string mailbox, string reason)
    {
        var lines = Stack.ReadDovecotLog().Split('\n')
            .Where(line => line.Contains(mailbox, StringComparison.Ordinal))
            .ToArray();
        Assert.True(
            lines.Any(line => line.Contains(reason, StringComparison.Ordinal)),
            $"Dovecot logged no refusal of {mailbox} with '{reason}'. Its lines for that mailbox:\n{string.Join('\n', lines)}");
    }

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

        DovecotKeyDirectory.Publish(_stack.Endpoints.KeyDirectory, TrustedKey.KeyId, TrustedKey.ExportPublicKeyPem());
        _certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(_stack.Endpoints.CertificateFile));
        Minter = new TestTokenMinter(TrustedKey.SigningCredentials, TimeProvider.System);
        Tokens = new MintedTokenSource(Minter);
        MailKit = new DirectMailKitClients(Tokens, _certificate);
        Clients = MailKit;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        _certificate?.Dispose();
        TrustedKey.Dispose();
    }

    private static bool IsContinuousIntegration() =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
