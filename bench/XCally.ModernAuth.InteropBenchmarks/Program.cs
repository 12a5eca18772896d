using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using XCally.ModernAuth.InteropBenchmarks;

// In process, so that every case logs in to the one stack started here; a short job, since the machine is shared.
var config = DefaultConfig.Instance
    .AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithWarmupCount(3)
        .WithIterationCount(20)
        .WithId("InProcessShort"));

await RunningStack.StartAsync();
try
{
    // "--paired N": the alternating cross-check instead of BenchmarkDotNet.
    if (args.Length == 2 && args[0] == "--paired")
    {
        await PairedLoginComparison.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
    }
    else
    {
        BenchmarkSwitcher.FromAssembly(typeof(ImapLoginBenchmarks).Assembly).Run(args, config);
    }
}
finally
{
    await RunningStack.StopAsync();
}
