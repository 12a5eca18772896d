using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using XCally.ModernAuth.Benchmarks;
using XCally.ModernAuth.Benchmarks.Graph;
using XCally.ModernAuth.Benchmarks.Scale;

// `--cold-burst` counts token-endpoint requests for 1,000 concurrent callers on a cold cache;
// `--send-token-count` counts token requests for 1,000 sends by Graph and by SMTP on the emulator;
// `--scale [--quick]` runs thousands of accounts and a thousand IMAP IDLE sessions on the emulator;
// anything else goes to BenchmarkDotNet (for example `--filter *WarmToken*`).
if (args.Length == 2 && args[0] == EmulatorProcess.Switch)
{
    return await EmulatorProcess.RunChildAsync(int.Parse(args[1], CultureInfo.InvariantCulture));
}

if (args.Contains("--cold-burst"))
{
    return await ColdBurst.RunAsync(Console.Out);
}

if (args.Contains("--send-token-count"))
{
    return await SendTokenCount.RunAsync(Console.Out);
}

if (args.Contains("--scale"))
{
    return await ScaleRun.RunAsync(args, Console.Out);
}

// On a machine busy with other builds, BenchmarkDotNet's own build of each job may take longer than its 2-minute default.
BenchmarkSwitcher.FromAssembly(typeof(WarmTokenBenchmarks).Assembly).Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15)));
return 0;
