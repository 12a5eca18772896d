using BenchmarkDotNet.Running;
using XCally.ModernAuth.Benchmarks;

// `--cold-burst` counts token-endpoint requests for 1,000 concurrent callers on a cold cache;
// anything else goes to BenchmarkDotNet (for example `--job short --filter *`).
if (args.Contains("--cold-burst"))
{
    return await ColdBurst.RunAsync(Console.Out);
}

BenchmarkSwitcher.FromAssembly(typeof(WarmTokenBenchmarks).Assembly).Run(args);
return 0;
