namespace XCally.ModernAuth.Benchmarks.Scale;

/// <summary>The sizes of one scale run: the full run the goals are set for, or the quick smoke run CI makes.</summary>
internal sealed record ScaleSettings(
    int DelegatedAccounts,
    int DelegatedProviders,
    int AppOnlyProviders,
    int IdleSessions,
    TimeSpan Simulated,
    TimeSpan OutageStart,
    TimeSpan OutageLength,
    TimeSpan Step,
    int LatencySamples,
    double BusiestMinuteLimit)
{
    public static ScaleSettings Full { get; } = new(
        DelegatedAccounts: 10_000,
        DelegatedProviders: 100,
        AppOnlyProviders: 100,
        IdleSessions: 1_000,
        Simulated: TimeSpan.FromHours(4),
        OutageStart: TimeSpan.FromMinutes(150),
        OutageLength: TimeSpan.FromMinutes(10),
        Step: TimeSpan.FromSeconds(15),
        LatencySamples: 2_000_000,
        BusiestMinuteLimit: 2.0);

    public static ScaleSettings Quick { get; } = new(
        DelegatedAccounts: 1_000,
        DelegatedProviders: 10,
        AppOnlyProviders: 10,
        IdleSessions: 200,
        Simulated: TimeSpan.FromHours(4),
        OutageStart: TimeSpan.FromMinutes(150),
        OutageLength: TimeSpan.FromMinutes(10),
        Step: TimeSpan.FromSeconds(30),
        LatencySamples: 200_000,

        // A thousand accounts make about 33 refreshes a minute, so chance alone puts the busiest of sixty minutes at 1.5 to 1.8
        // times the mean; 2.5 still catches a convoy (±10% jitter gave about 5) without failing CI on noise.
        BusiestMinuteLimit: 2.5);

    /// <summary>The token lifetime the emulator issues (Entra ID's default for Exchange Online: about an hour).</summary>
    public static TimeSpan TokenLifetime { get; } = TimeSpan.FromHours(1);
}
