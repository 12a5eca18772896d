using BenchmarkDotNet.Attributes;

namespace XCally.ModernAuth.Benchmarks.Graph;

/// <summary>
/// The same message sent by SMTP (baseline: connect, STARTTLS, XOAUTH2, DATA, QUIT per message, as <c>IMailTransport</c>
/// sends on an <c>Imap</c> account) and by Microsoft Graph (<c>POST /users/{address}/sendMail</c> with the MIME message), on
/// the emulator, through the SDK's public API with warm token caches.
/// </summary>
[MemoryDiagnoser]
public class GraphSendBenchmarks
{
    private SendStack _stack = null!;
    private int _sent;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _stack = await SendStack.StartAsync();
        await _stack.Smtp.SendAsync(_stack.Message("warm-up smtp"));
        await _stack.Graph.SendAsync(_stack.Message("warm-up graph"));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        Console.WriteLine($"// Token requests at the emulator: {_stack.Emulator.Identity.Counters.TokenRequests} for {_sent + 2} sends.");
        await _stack.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "SMTP (XOAUTH2) send")]
    public Task Smtp() => _stack.Smtp.SendAsync(_stack.Message("bench " + Interlocked.Increment(ref _sent)));

    [Benchmark(Description = "Graph sendMail (MIME)")]
    public Task Graph() => _stack.Graph.SendAsync(_stack.Message("bench " + Interlocked.Increment(ref _sent)));
}
