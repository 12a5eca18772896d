using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

/// <summary>
/// Five mailboxes in a loop while the identity platform has a bad day: occasional 503s, then 429 with Retry-After for at least
/// a minute and a quarter of a lifetime (long enough that background refreshes fall into it whatever the jitter drew), then two
/// minutes of 503 only. The SDK and the emulator share one fake clock, so tokens really expire at the mail servers.
/// </summary>
public class IdentityOutageTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(60)]
    [InlineData(240)]
    public async Task MailLoop_IdentityPlatformOutage_NothingFailsWhileTheTokenIsValidAndRequestsBackOff(int tokenLifetimeSeconds)
    {
        // A day behind the system clock: Retry-After dates on this clock lie in the past for MSAL's own throttling (on the
        // system clock), so only the SDK's back-off, in fake time, decides when the next request goes.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-1));
        var options = new ModernAuthEmulatorOptions { TimeProvider = time };
        options.Identity.AccessTokenLifetime = TimeSpan.FromSeconds(tokenLifetimeSeconds);
        foreach (var mailbox in new[] { "billing", "orders", "returns" })
        {
            options.Mailboxes.Add(mailbox);
        }

        await using var emulator = await ModernAuthEmulator.StartAsync(options, Ct);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddMetrics();
        services.AddXCallyModernAuth().UseEmulator(emulator);
        await using var provider = services.BuildServiceProvider();
        using var throttledAttempts = new MetricCollector<long>(
            provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), ModernAuthDefaults.TelemetryName, "xcally.modernauth.token.failures");
        var tokens = provider.GetRequiredService<ITokenProvider>();
        var connector = provider.GetRequiredService<IMailClientConnector>();
        var store = provider.GetRequiredService<IEmailAccountStore>();
        var accounts = (await store.ListAsync(Ct)).ToArray();
        Assert.Equal(5, accounts.Length);

        var random = new Random(20261201);
        var start = time.GetUtcNow();
        var latestExpiry = DateTimeOffset.MinValue;
        var mailFailures = new List<string>();
        var unexpectedTokenFailures = new List<string>();
        var tokenFailuresWithoutValidToken = 0;
        var requestsAtPhase = new Dictionary<string, int>();
        var phase = "flaky";
        var phases = new Phases(TimeSpan.FromSeconds(tokenLifetimeSeconds));
        for (var elapsed = TimeSpan.Zero; elapsed < phases.End; elapsed += Step)
        {
            phase = SetPhase(emulator, phases, elapsed, phase, random, requestsAtPhase);
            foreach (var account in accounts)
            {
                AccessToken token;
                try
                {
                    token = await tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct);
                }
                catch (ModernAuthException exception)
                {
                    // Allowed only once no token was left that a mail server would still accept.
                    var now = time.GetUtcNow();
                    if (now < latestExpiry - SafetyMargin(tokenLifetimeSeconds))
                    {
                        unexpectedTokenFailures.Add($"{now - start} {phase}: {exception.Category} while a token valid until {latestExpiry - start} existed");
                    }

                    tokenFailuresWithoutValidToken++;
                    continue;
                }

                Assert.True(token.ExpiresOn > time.GetUtcNow(), "An expired token was handed out.");
                latestExpiry = token.ExpiresOn > latestExpiry ? token.ExpiresOn : latestExpiry;
                try
                {
                    using var imap = await connector.ConnectImapAsync(account, Ct);
                    await imap.DisconnectAsync(true, Ct);
                }
                catch (ModernAuthException exception)
                {
                    mailFailures.Add($"{time.GetUtcNow() - start} {phase}: {exception.Message}");
                }
            }

            time.Advance(Step);

            // Let background refreshes started by the step reach the emulator before the next one.
            await Task.Delay(20, Ct);
        }

        requestsAtPhase["end"] = emulator.Identity.Counters.TokenRequests;

        // No mail operation failed while the SDK handed out a token, and no caller was refused while a valid token existed.
        Assert.Empty(mailFailures);
        Assert.Empty(unexpectedTokenFailures);

        // The refresh resumed after every 429: more than one throttled attempt while the 429s lasted.
        var throttled = throttledAttempts.GetMeasurementSnapshot().Count(m => Equals(m.Tags["xcally.modernauth.error.category"], "Throttled"));
        Assert.True(throttled >= 2, $"Only {throttled} throttled attempts while the 429s lasted (Retry-After {RetryAfter}).");

        // Two minutes of 503 only: one request (MSAL retries a 503 once) per back-off of 5, 10, 20, 40 s and more, never a storm.
        // A back-off grown during the 429s (up to 2 min) may span the whole outage, so none at all is fine too.
        var outageRequests = requestsAtPhase["recovery"] - requestsAtPhase["down"];
        Assert.InRange(outageRequests, 0, 2 * 8);

        // And after the outage everything works again.
        Assert.True(tokenLifetimeSeconds > 120 || tokenFailuresWithoutValidToken > 0, "With 60 s tokens, two minutes of outage must have left callers without a token.");
        // A caller may still be inside the last back-off (up to 2 min after the last failure): it ends, and a token comes.
        AccessToken? after = null;
        for (var waited = TimeSpan.Zero; after is null && waited <= TokenRefreshBackoffLimit; waited += Step)
        {
            try
            {
                after = await tokens.GetAccessTokenAsync(accounts[0], MailProtocol.Imap, Ct);
            }
            catch (ModernAuthException)
            {
                time.Advance(Step);
                await Task.Delay(20, Ct);
            }
        }

        Assert.NotNull(after);
        Assert.True(after.ExpiresOn > time.GetUtcNow());
    }

    private static TimeSpan SafetyMargin(int lifetimeSeconds) =>
        TimeSpan.FromSeconds(Math.Min(30, lifetimeSeconds / 10.0)) + Step;

    // The longest back-off (2 min, +10% jitter) and a step.
    private static readonly TimeSpan TokenRefreshBackoffLimit = TimeSpan.FromMinutes(2.2) + Step;

    // 0-2 min: one request in ten answers 503; then 429 with Retry-After for a minute or a lifetime and a quarter, whichever is
    // longer (a refresh is due a quarter to three quarters of a lifetime after the last token, ±50% around half, and a failed
    // one is retried within 70% of the time the token is still served, so at least two attempts fall in); then 2 min of 503;
    // then 2 min of recovery.
    private sealed record Phases(TimeSpan Lifetime)
    {
        public TimeSpan ThrottledFrom { get; } = TimeSpan.FromMinutes(2);

        public TimeSpan DownFrom => ThrottledFrom + (Lifetime * 1.25 > TimeSpan.FromMinutes(1) ? Lifetime * 1.25 : TimeSpan.FromMinutes(1));

        public TimeSpan RecoveryFrom => DownFrom + TimeSpan.FromMinutes(2);

        public TimeSpan End => RecoveryFrom + TimeSpan.FromMinutes(2);
    }

    private static string SetPhase(ModernAuthEmulator emulator, Phases phases, TimeSpan elapsed, string phase, Random random, Dictionary<string, int> requestsAtPhase)
    {
        var next = elapsed switch
        {
            _ when elapsed < phases.ThrottledFrom => "flaky",
            _ when elapsed < phases.DownFrom => "throttled",
            _ when elapsed < phases.RecoveryFrom => "down",
            _ => "recovery",
        };
        if (next != phase || !requestsAtPhase.ContainsKey(next))
        {
            requestsAtPhase[next] = emulator.Identity.Counters.TokenRequests;
            emulator.Identity.ClearFaults();
            switch (next)
            {
                case "throttled":
                    emulator.Identity.InjectFault(EmulatorFault.TooManyRequestsUntil(RetryAfter), times: int.MaxValue);
                    break;
                case "down":
                    emulator.Identity.InjectFault(EmulatorFault.ServiceUnavailable(), times: int.MaxValue);
                    break;
            }
        }

        if (next == "flaky" && random.NextDouble() < 0.1)
        {
            emulator.Identity.InjectFault(EmulatorFault.ServiceUnavailable(), times: 1);
        }

        return next;
    }
}
