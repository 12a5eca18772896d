using BenchmarkDotNet.Running;
using XCally.ModernAuth.Benchmarks;
using XCally.ModernAuth.Benchmarks.Graph;

// `--cold-burst` counts token-endpoint requests for 1,000 concurrent callers on a cold cache;
// `--send-token-count` counts token requests for 1,000 sends by Graph and by SMTP on the emulator;
// anything else goes to BenchmarkDotNet (for example `--job short --filter *`).
if (args.Contains("--cold-burst"))
{
    return await ColdBurst.RunAsync(Console.Out);
}

if (args.Contains("--send-token-count"))
{
    return await SendTokenCount.RunAsync(Console.Out);
}

BenchmarkSwitcher.FromAssembly(typeof(WarmTokenBenchmarks).Assembly).Run(args);
return 0;
