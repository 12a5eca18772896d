using System.Diagnostics;
using XCally.ModernAuth.StackExchangeRedis.Tests.Infrastructure;

namespace XCally.ModernAuth.StackExchangeRedis.Tests;

/// <summary>
/// Several instances of a host on one real redis-server, against the emulator with strict refresh-token rotation (a refresh
/// token redeemed twice is refused, so any uncoordinated redemption shows): simulated hours of mail work, with Redis stopped
/// for a minute and restarted empty in the middle.
/// </summary>
[Collection(nameof(MultiInstanceTests))]
[CollectionDefinition(nameof(MultiInstanceTests), DisableParallelization = true)]
public sealed class MultiInstanceTests
{
    private const string RefreshGrant = "refresh_token";
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan MailEvery = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan OutageStep = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeInstances_EightHoursStrictRotationRedisRestartedEmpty_OneRedemptionPerPeriodNoSignInLost()
    {
        const int accounts = 100;
        var hours = TimeSpan.FromHours(8);
        int alone;
        await using (var single = await MultiInstanceEnvironment.StartAsync(accounts))
        {
            alone = (await RunAsync(single, instances: 1, hours, outageAt: null)).RefreshRequests;
        }

        await using var environment = await MultiInstanceEnvironment.StartAsync(accounts);
        var run = await RunAsync(environment, instances: 3, hours, outageAt: TimeSpan.FromHours(4));
        Report("3 instances, 100 accounts, 8 h, Redis down 60 s at 4 h", alone, run);

        Assert.Empty(run.Reauthorizations);
        Assert.Empty(run.UnexpectedFailures);
        Assert.Equal(0, run.Reuses);
        Assert.InRange(run.RefreshRequests, alone * 0.9, alone * 1.1);
        Assert.Equal(accounts, await environment.CountTokenEntriesAsync());
        Assert.True(run.OutageMailOperations > 0);
        await AssertEverySignInServesARestartedHostAsync(environment);
    }

    [Fact]
    public async Task RedisStoppedAMinuteAndRestartedEmpty_TenRuns_NoRefreshAnsweredReportedAsFailureAndEverySignInKept()
    {
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            await using var environment = await MultiInstanceEnvironment.StartAsync(accounts: 20);

            // The outage starts at a different point of the refresh period each time.
            var run = await RunAsync(environment, instances: 3, TimeSpan.FromHours(2), outageAt: TimeSpan.FromMinutes(26 + (4 * attempt)));
            Report($"run {attempt}: 3 instances, 20 accounts, 2 h, Redis down 60 s", null, run);

            Assert.Empty(run.Reauthorizations);
            Assert.Empty(run.UnexpectedFailures);
            Assert.Equal(0, run.Reuses);
            Assert.Equal(20, await environment.CountTokenEntriesAsync());
            await AssertEverySignInServesARestartedHostAsync(environment);
        }
    }

    // A host restarted after the outage reads every sign-in from Redis: no account needs a new sign-in.
    private static async Task AssertEverySignInServesARestartedHostAsync(MultiInstanceEnvironment environment)
    {
        foreach (var host in environment.Hosts.ToArray())
        {
            await environment.StopHostAsync(host);
        }

        var restarted = environment.StartHost();
        environment.Time.Advance(TimeSpan.FromMinutes(1));
        foreach (var address in environment.Addresses)
        {
            var token = await restarted.Tokens.GetAccessTokenAsync(await restarted.AccountAsync(address), MailProtocol.Imap, Ct);
            Assert.True(token.ExpiresOn > environment.Time.GetUtcNow());
        }

        using var imap = await restarted.Connector.ConnectImapAsync(environment.Addresses[^1], Ct);
        Assert.True(imap.IsAuthenticated);
        await imap.DisconnectAsync(true, Ct);
    }

    private static async Task<Run> RunAsync(MultiInstanceEnvironment environment, int instances, TimeSpan duration, TimeSpan? outageAt)
    {
        var hosts = Enumerable.Range(0, instances).Select(_ => environment.StartHost()).ToArray();
        var accounts = new EmailAccount[instances][];
        for (var i = 0; i < instances; i++)
        {
            accounts[i] = await Task.WhenAll(environment.Addresses.Select(hosts[i].AccountAsync));
        }

        // Each sign-in starts on one instance and its callback lands on the next.
        for (var a = 0; a < environment.Addresses.Count; a++)
        {
            await hosts[a % instances].SignInAsync(environment.Addresses[a]);
        }

        var run = new Run();
        var counters = environment.Emulator.Identity.Counters;
        var refreshesBefore = counters.TokenRequestsForGrantType(RefreshGrant);
        var reusesBefore = counters.RefreshTokenReuses;
        var elapsed = TimeSpan.Zero;
        var nextMail = TimeSpan.Zero;
        var outageDone = outageAt is null;
        while (elapsed < duration)
        {
            environment.Time.Advance(Step);
            elapsed += Step;
            await environment.WaitUntilQuietAsync();
            await TouchEveryTokenAsync(hosts, accounts, run);
            if (elapsed >= nextMail)
            {
                nextMail += MailEvery;
                await MailAsync(environment, hosts, run, run.MailMilliseconds, perHost: 2);
            }

            if (!outageDone && elapsed >= outageAt)
            {
                outageDone = true;
                environment.Redis.Stop();
                for (var down = TimeSpan.Zero; down < Outage; down += OutageStep)
                {
                    environment.Time.Advance(OutageStep);
                    await environment.WaitUntilQuietAsync();
                    await TouchEveryTokenAsync(hosts, accounts, run);
                    await MailAsync(environment, hosts, run, run.OutageMailMilliseconds, perHost: 1);
                }

                await environment.RestartRedisEmptyAsync();

                // The minutes after the restart at the outage's pace: the instances notice the empty store and write back.
                for (var after = TimeSpan.Zero; after < TimeSpan.FromMinutes(3); after += OutageStep)
                {
                    environment.Time.Advance(OutageStep);
                    await environment.WaitUntilQuietAsync();
                    await TouchEveryTokenAsync(hosts, accounts, run);
                }

                elapsed += Outage + TimeSpan.FromMinutes(3);
            }
        }

        // Let the last write-backs and refreshes settle before counting.
        for (var i = 0; i < 10; i++)
        {
            environment.Time.Advance(TimeSpan.FromSeconds(10));
            await environment.WaitUntilQuietAsync();
        }

        run.RefreshRequests = counters.TokenRequestsForGrantType(RefreshGrant) - refreshesBefore;
        run.Reuses = counters.RefreshTokenReuses - reusesBefore;
        foreach (var host in hosts)
        {
            foreach (var record in host.Logs.GetSnapshot())
            {
                if (record.Exception is ModernAuthException error)
                {
                    Classify(error, run);
                }
            }
        }

        return run;
    }

    private static async Task TouchEveryTokenAsync(MultiInstanceEnvironment.Host[] hosts, EmailAccount[][] accounts, Run run)
    {
        for (var i = 0; i < hosts.Length; i++)
        {
            foreach (var account in accounts[i])
            {
                try
                {
                    await hosts[i].Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct);
                }
                catch (ModernAuthException error)
                {
                    Classify(error, run);
                }
            }
        }
    }

    // A real mail operation per instance: an IMAP connection and XOAUTH2 login at the emulator, timed (a measurement, reported).
    private static async Task MailAsync(MultiInstanceEnvironment environment, MultiInstanceEnvironment.Host[] hosts, Run run, List<double> timings, int perHost)
    {
        for (var i = 0; i < hosts.Length; i++)
        {
            for (var n = 0; n < perHost; n++)
            {
                var address = environment.Addresses[Random.Shared.Next(environment.Addresses.Count)];
                var watch = Stopwatch.StartNew();
                using var imap = await hosts[i].Connector.ConnectImapAsync(address, Ct);
                timings.Add(watch.Elapsed.TotalMilliseconds);
                Assert.True(imap.IsAuthenticated);
                await imap.DisconnectAsync(true, Ct);
                if (ReferenceEquals(timings, run.OutageMailMilliseconds))
                {
                    run.OutageMailOperations++;
                }
            }
        }
    }

    private static void Classify(ModernAuthException error, Run run)
    {
        if (error.Category == ModernAuthErrorCategory.ReauthorizationRequired)
        {
            run.Reauthorizations.Add(error.Message);
        }
        else if (error.ErrorCode is not ("refresh_deferred" or "token_cache_unavailable"))
        {
            // A refresh the identity platform answered, reported as a failure, would land here.
            run.UnexpectedFailures.Add($"{error.Category} {error.ErrorCode}: {error.Message}");
        }
    }

    private static void Report(string title, int? alone, Run run)
    {
        static string Max(List<double> values) => values.Count == 0 ? "-" : $"{values.Max():0} ms (p50 {Percentile(values, 0.5):0.0}, p99 {Percentile(values, 0.99):0.0})";
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"MEASUREMENT {title}: refresh requests {run.RefreshRequests} (one instance alone: {alone?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}), " +
            $"refresh tokens redeemed twice {run.Reuses}, mail operations {run.MailMilliseconds.Count} max {Max(run.MailMilliseconds)}, " +
            $"during the outage {run.OutageMailMilliseconds.Count} max {Max(run.OutageMailMilliseconds)}");
        foreach (var problem in run.Reauthorizations.Concat(run.UnexpectedFailures).Distinct().Take(5))
        {
            TestContext.Current.TestOutputHelper?.WriteLine("  " + problem);
        }
    }

    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(fraction * sorted.Length))];
    }

    private sealed class Run
    {
        public int RefreshRequests { get; set; }

        public int Reuses { get; set; }

        public int OutageMailOperations { get; set; }

        public List<string> Reauthorizations { get; } = [];

        public List<string> UnexpectedFailures { get; } = [];

        public List<double> MailMilliseconds { get; } = [];

        public List<double> OutageMailMilliseconds { get; } = [];
    }
}
