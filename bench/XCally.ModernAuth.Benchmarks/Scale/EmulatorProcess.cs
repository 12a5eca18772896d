using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Benchmarks.Scale;

/// <summary>
/// The emulator in a process of its own (this program with <c>--scale-emulator N</c>), so that the SDK host's memory and
/// threads are measured without the server side of a thousand sessions. It prints where it listens as one JSON line, then
/// takes commands on standard input: <c>drop</c> (drop every connection at once), <c>stats</c>, <c>exit</c>.
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    public const string Switch = "--scale-emulator";

    private readonly Process _process;
    private readonly SemaphoreSlim _commands = new(1, 1);

    private EmulatorProcess(Process process, EmulatorEndpoints endpoints)
    {
        _process = process;
        Endpoints = endpoints;
    }

    public EmulatorEndpoints Endpoints { get; }

    public static async Task<EmulatorProcess> StartAsync(int mailboxes)
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            start.ArgumentList.Add(typeof(EmulatorProcess).Assembly.Location);
        }

        start.ArgumentList.Add(Switch);
        start.ArgumentList.Add(mailboxes.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("The emulator process did not start.");
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The emulator process ended before it started listening.");
        return new EmulatorProcess(process, JsonSerializer.Deserialize<EmulatorEndpoints>(line)!);
    }

    /// <summary>Sends a command and returns the emulator's one-line answer.</summary>
    public async Task<string> SendAsync(string command)
    {
        await _commands.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync();
            return await _process.StandardOutput.ReadLineAsync() ?? string.Empty;
        }
        finally
        {
            _commands.Release();
        }
    }

    public async Task<EmulatorStats> StatsAsync() => JsonSerializer.Deserialize<EmulatorStats>(await SendAsync("stats"))!;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync("exit");
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception exception) when (exception is IOException or TimeoutException or InvalidOperationException)
        {
            _process.Kill();
        }

        _process.Dispose();
        _commands.Dispose();
    }

    /// <summary>The child's side: runs the emulator until told to exit.</summary>
    public static async Task<int> RunChildAsync(int mailboxes)
    {
        var options = new ModernAuthEmulatorOptions();
        options.Mailboxes.Clear();
        options.Mail.MaxConnections = (2 * mailboxes) + 64;
        await using var emulator = await ModernAuthEmulator.StartAsync(options);
        for (var i = 0; i < mailboxes; i++)
        {
            emulator.AddMailbox(MailboxName(i));
        }

        var imap = emulator.Mail.GetEndpoint(MailProtocol.Imap);
        var endpoints = new EmulatorEndpoints(
            emulator.Identity.BaseAddress.ToString(),
            emulator.Tenant.TenantId,
            emulator.Application.ClientId,
            emulator.ClientSecret.Value,
            imap.Host,
            imap.Port,
            Convert.ToBase64String(emulator.Identity.Certificate.Export(X509ContentType.Cert)),
            Convert.ToBase64String(emulator.MailCertificate.Export(X509ContentType.Cert)),
            emulator.Tenant.Domain);
        Console.WriteLine(JsonSerializer.Serialize(endpoints));
        while (await Console.In.ReadLineAsync() is { } command)
        {
            switch (command)
            {
                case "drop":
                    var dropped = emulator.Mail.ActiveConnections;
                    emulator.Mail.DisconnectAll();
                    Console.WriteLine(dropped.ToString(CultureInfo.InvariantCulture));
                    break;
                case "stats":
                    Console.WriteLine(JsonSerializer.Serialize(new EmulatorStats(
                        emulator.Identity.Counters.TokenRequests,
                        emulator.Mail.ActiveConnections,
                        emulator.Mail.GetAuthenticationCounts(MailProtocol.Imap).Succeeded,
                        emulator.Mail.FaultedSessions)));
                    break;
                case "exit":
                    Console.WriteLine("bye");
                    return 0;
                default:
                    Console.WriteLine("unknown");
                    break;
            }
        }

        return 0;
    }

    public static string MailboxName(int index) => string.Create(CultureInfo.InvariantCulture, $"idle{index:0000}");
}

/// <summary>Where the emulator process listens, and the certificates to trust exactly.</summary>
internal sealed record EmulatorEndpoints(
    string AuthorityHost,
    string TenantId,
    string ClientId,
    string ClientSecret,
    string ImapHost,
    int ImapPort,
    string IdentityCertificate,
    string MailCertificate,
    string Domain);

/// <summary>The emulator's counts.</summary>
internal sealed record EmulatorStats(int TokenRequests, int ActiveConnections, int ImapLogins, int FaultedSessions);
