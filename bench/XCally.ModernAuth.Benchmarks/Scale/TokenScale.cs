using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Identity.Client;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Benchmarks.Scale;

/// <summary>
/// Thousands of delegated accounts across many cloud providers (each its own app registration), plus app-only providers, on
/// one SDK host and the emulator, both on one <see cref="FakeTimeProvider"/>: every account signs in at the same instant (the
/// worst case for a refresh convoy), then hours of simulated time pass with every account used once a minute, an outage of
/// the identity platform in the middle. Prints the SDK's heap per account, the token requests per simulated hour and per
/// minute (from the emulator's own log, on the shared clock), what callers saw during the outage, and the warm-call latency.
/// </summary>
internal sealed class TokenScale
{
    private const string RefreshGrant = "refresh_token";
    private const string ClientCredentialsGrant = "client_credentials";
    private const string CodeGrant = "authorization_code";

    private readonly ScaleSettings _settings;
    private readonly TextWriter _output;
    private readonly List<string> _failures = [];

    public TokenScale(ScaleSettings settings, TextWriter output)
    {
        _settings = settings;
        _output = output;
    }

    /// <summary>Runs the measurement and prints its tables.</summary>
    /// <returns>The request counts that were off (empty when every count held).</returns>
    public async Task<IReadOnlyList<string>> RunAsync()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var clock = new BenchClock(time);
        var emulatorOptions = new ModernAuthEmulatorOptions { TimeProvider = time };
        emulatorOptions.Mailboxes.Clear();
        emulatorOptions.Identity.AccessTokenLifetime = ScaleSettings.TokenLifetime;
        emulatorOptions.Mail.MaxConnections = 256;
        await using var emulator = await ModernAuthEmulator.StartAsync(emulatorOptions);

        var delegatedApps = Enumerable.Range(0, _settings.DelegatedProviders).Select(i => NewApplication(emulator, $"Delegated {i}")).ToArray();
        var appOnlyApps = Enumerable.Range(0, _settings.AppOnlyProviders).Select(i => NewApplication(emulator, $"App-only {i}")).ToArray();
        var inFlight = new InFlightHandler();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddHttpClient(ModernAuthDefaults.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(emulator.Identity.CreateHttpMessageHandler)
            .AddHttpMessageHandler(() => inFlight)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        var builder = services.AddXCallyModernAuth().UseMemoryTokenCache()
            .ConfigureMailConnector(options => options.ServerCertificateValidationCallback = emulator.TrustMailServerCertificate());
        var delegatedAddresses = new List<string>(_settings.DelegatedAccounts);
        for (var i = 0; i < _settings.DelegatedProviders; i++)
        {
            var (application, secret) = delegatedApps[i];
            builder.AddCloudProvider(DelegatedName(i), provider => Configure(provider, emulator, application, secret, AuthFlow.Delegated));
        }

        for (var i = 0; i < _settings.DelegatedAccounts; i++)
        {
            var address = emulator.AddUserWithMailbox($"user{i:00000}").Address;
            delegatedAddresses.Add(address);
            builder.AddEmailAccount(address, DelegatedName(i % _settings.DelegatedProviders), emulator.ConfigureEmailAccount);
        }

        var appOnlyAddresses = new List<string>(_settings.AppOnlyProviders);
        for (var i = 0; i < _settings.AppOnlyProviders; i++)
        {
            var (application, secret) = appOnlyApps[i];
            var mailbox = emulator.AddMailbox($"shared{i:000}", grantFullAccess: false);
            mailbox.GrantFullAccess(application);
            appOnlyAddresses.Add(mailbox.Address);
            builder.AddCloudProvider(AppOnlyName(i), provider => Configure(provider, emulator, application, secret, AuthFlow.AppOnly));
            builder.AddEmailAccount(mailbox.Address, AppOnlyName(i), emulator.ConfigureEmailAccount);
        }

        await using var host = services.BuildServiceProvider();
        using var log = new RequestLog(emulator.Identity.Counters);
        var tokens = host.GetRequiredService<ITokenProvider>();
        var store = host.GetRequiredService<IEmailAccountStore>();
        var delegated = await Task.WhenAll(delegatedAddresses.Select(async address => (await store.FindAsync(address))!));
        var appOnly = await Task.WhenAll(appOnlyAddresses.Select(async address => (await store.FindAsync(address))!));

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Delegated: {_settings.DelegatedAccounts:N0} accounts across {_settings.DelegatedProviders} providers; app-only: {_settings.AppOnlyProviders} providers; tokens of {ScaleSettings.TokenLifetime.TotalMinutes:0} min; one fake clock for the SDK and the emulator."));

        // Everyone signs in at the same instant of fake time: the cohort that would refresh in step.
        var signInWatch = Stopwatch.StartNew();
        var authorization = host.GetRequiredService<IModernAuthAuthorization>();
        await Parallel.ForEachAsync(delegated, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (account, ct) =>
        {
            var url = await authorization.BeginAsync(account, cancellationToken: ct);
            var callback = await emulator.SignInAsync(url, ct);
            var query = QueryHelpers.ParseQuery(callback.Query);
            await authorization.CompleteAsync(query["code"].ToString(), query["state"].ToString(), ct);
        });
        signInWatch.Stop();
        Check("authorization_code requests for the sign-ins", log.CountOf(CodeGrant), _settings.DelegatedAccounts, 0);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Signed in {_settings.DelegatedAccounts:N0} accounts in {signInWatch.Elapsed.TotalSeconds:0.0} s (wall clock; load average {LoadAverage.Now()})."));

        // Memory: the heap before and after every account's first token. The sign-in left MSAL's serialized cache of each
        // account in the SDK's token cache store (and the emulator's own state, in this process): that is in both figures.
        // The first tokens come from that cache without a request, so the difference is what the token provider keeps per
        // account (slots, timers, acquirers, MSAL clients with the caches they deserialized) and nothing of the emulator.
        var requestsBefore = log.Count;
        clock.Freeze();
        var heapBefore = Heap();
        await ForAllAsync(tokens, delegated);
        var heapAfter = Heap();
        await ForAllAsync(tokens, appOnly);
        var heapAfterAppOnly = Heap();
        clock.Thaw();
        Check("token requests for the first token of each signed-in account", log.Count - requestsBefore, _settings.AppOnlyProviders, 0);
        var perAccount = (heapAfter - heapBefore) / (double)_settings.DelegatedAccounts;
        var perAppOnly = (heapAfterAppOnly - heapAfter) / (double)Math.Max(1, _settings.AppOnlyProviders);
        _output.WriteLine();
        _output.WriteLine($"Memory (GC heap after a full collection, load average {LoadAverage.Now()}):");
        _output.WriteLine("| What | Heap | Per account | Goal |");
        _output.WriteLine("|---|---:|---:|---|");
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| Delegated: first token of {_settings.DelegatedAccounts:N0} signed-in accounts | {(heapAfter - heapBefore) / 1024.0 / 1024.0:0.0} MiB | {perAccount / 1024.0:0.00} KiB | ≤ 4 KiB (excluding MSAL's cache): {(perAccount <= 4096 ? "met" : "not met")} |"));
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| App-only: first token of {_settings.AppOnlyProviders} providers (MSAL client each) | {(heapAfterAppOnly - heapAfter) / 1024.0:0} KiB | {perAppOnly / 1024.0:0.00} KiB per provider | — |"));

        // What one MSAL confidential client costs by itself (no tokens), built as the SDK builds one per delegated account.
        const int Clients = 1_000;
        var perClient = MsalClientHeap(emulator, delegatedApps[0].Application, delegatedApps[0].Secret, Clients);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| For comparison: one MSAL confidential client alone (built {Clients:N0} times, no tokens) | — | {perClient / 1024.0:0.00} KiB | — |"));

        // Part of every account's cost is the token itself, which any token cache holds.
        var tokenChars = 0.0;
        foreach (var account in delegated.Take(100))
        {
            tokenChars += (await tokens.GetAccessTokenAsync(account, MailProtocol.Imap)).Token.Length;
        }

        tokenChars /= Math.Min(100, delegated.Length);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Of each delegated account's share, the access token itself (held once, as every token cache holds it): {tokenChars:0} characters, {(tokenChars * 2) + 22:0} bytes as a .NET string."));

        var start = time.GetUtcNow();
        var minutes = (int)_settings.Simulated.TotalMinutes;
        var callerFailures = new int[minutes];
        for (var elapsed = TimeSpan.Zero; elapsed < _settings.Simulated; elapsed += _settings.Step)
        {
            if (elapsed == _settings.OutageStart)
            {
                emulator.Identity.InjectFault(EmulatorFault.ServiceUnavailable(), times: int.MaxValue);
            }
            else if (elapsed == _settings.OutageStart + _settings.OutageLength)
            {
                emulator.Identity.ClearFaults();
            }

            if (elapsed.Ticks % TimeSpan.TicksPerMinute == 0)
            {
                // Every account is used once a minute, as a mail host's sessions would: none goes idle.
                var minute = (int)elapsed.TotalMinutes;
                clock.Freeze();
                callerFailures[minute] = await ForAllAsync(tokens, delegated) + await ForAllAsync(tokens, appOnly);
                clock.Thaw();
            }

            time.Advance(_settings.Step);
            await inFlight.SettleAsync(TimeSpan.FromMilliseconds(40), TimeSpan.FromSeconds(60));
        }

        await inFlight.SettleAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
        PrintRequests(log, start, minutes, callerFailures);
        clock.Freeze();
        await PrintLatencyAsync(tokens, delegated);
        clock.Thaw();
        await CheckMailAsync(host, delegated[^1], appOnly.Length > 0 ? appOnly[^1] : null);
        return _failures;
    }

    private void PrintRequests(RequestLog log, DateTimeOffset start, int minutes, int[] callerFailures)
    {
        var refreshes = log.PerMinute(RefreshGrant, start, minutes);
        var clientCredentials = log.PerMinute(ClientCredentialsGrant, start, minutes);
        var refreshesPerLifetime = ScaleSettings.TokenLifetime / (ScaleSettings.TokenLifetime / 2);
        var expectedDelegated = _settings.DelegatedAccounts * refreshesPerLifetime * (TimeSpan.FromHours(1) / ScaleSettings.TokenLifetime);
        var expectedAppOnly = _settings.AppOnlyProviders * refreshesPerLifetime * (TimeSpan.FromHours(1) / ScaleSettings.TokenLifetime);
        var outageFrom = (int)_settings.OutageStart.TotalMinutes;
        var outageTo = (int)(_settings.OutageStart + _settings.OutageLength).TotalMinutes;

        // The goal's mean: what the accounts send in steady state, a minute.
        var steadyMean = expectedDelegated / 60.0;

        _output.WriteLine();
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Identity-platform requests per simulated hour (load average {LoadAverage.Now()}); every request counted by the emulator on the shared clock. Outage (every token request answered 503): minutes {outageFrom}-{outageTo}."));
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Goal: delegated {expectedDelegated:N0} an hour ({_settings.DelegatedAccounts:N0} accounts × {refreshesPerLifetime:0} refreshes per token lifetime), app-only {expectedAppOnly:N0}; no minute above {_settings.BusiestMinuteLimit:0.0} times the steady mean ({_settings.BusiestMinuteLimit * steadyMean:0.0})."));
        _output.WriteLine("| Hour | Delegated refresh requests | Mean / minute | Busiest minute | Busiest / steady mean | App-only requests | Calls refused |");
        _output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        for (var hour = 0; hour * 60 < minutes; hour++)
        {
            var from = hour * 60;
            var slice = refreshes.Skip(from).Take(60).ToArray();
            var total = slice.Sum();
            var mean = total / 60.0;
            var busiest = slice.Max();
            var appOnlyTotal = clientCredentials.Skip(from).Take(60).Sum();
            var hasOutage = outageFrom < from + 60 && outageTo > from;
            var label = hour == 0 ? "1 (all signed in at once)" : hasOutage ? $"{hour + 1} (outage)" : $"{hour + 1}";
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {total:N0} | {mean:0.0} | {busiest:N0} | {busiest / steadyMean:0.00} | {appOnlyTotal:N0} | {callerFailures.Skip(from).Take(60).Sum():N0} |"));

            if (!hasOutage)
            {
                // The steady hours must hold the request count and the spread; the first hour only the spread (its first
                // refreshes start a quarter of a lifetime in).
                if (hour > 0)
                {
                    Check($"delegated refresh requests in hour {hour + 1}", total, expectedDelegated, Tolerance(_settings.DelegatedAccounts));
                    Check($"app-only requests in hour {hour + 1}", appOnlyTotal, expectedAppOnly, Tolerance(_settings.AppOnlyProviders));
                }

                if (busiest > _settings.BusiestMinuteLimit * steadyMean)
                {
                    _failures.Add(string.Create(CultureInfo.InvariantCulture, $"hour {hour + 1}: busiest minute {busiest} requests, above {_settings.BusiestMinuteLimit:0.0} times the steady mean ({steadyMean:0.0})"));
                }
            }
        }

        var refused = callerFailures.Sum();
        if (refused != 0)
        {
            _failures.Add($"{refused} calls were refused although every account held a valid token");
        }

        // The outage itself: what went to the identity platform while it failed, and how the recovery was spread.
        var during = refreshes.Skip(outageFrom).Take(outageTo - outageFrom).ToArray();
        var after = refreshes.Skip(outageTo).Take(30).ToArray();
        _output.WriteLine();
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Outage of {_settings.OutageLength.TotalMinutes:0} minutes (steady mean {steadyMean:0.0} delegated requests a minute): {during.Sum():N0} delegated requests during it (busiest minute {during.DefaultIfEmpty().Max():N0}, {during.DefaultIfEmpty().Max() / steadyMean:0.00}× the mean); in the 30 minutes after it {after.Sum():N0} (busiest minute {after.DefaultIfEmpty().Max():N0}, {after.DefaultIfEmpty().Max() / steadyMean:0.00}× the mean); {callerFailures.Skip(outageFrom).Take(outageTo - outageFrom + 30).Sum():N0} calls refused."));
        _output.WriteLine("Requests per minute, delegated (minute: count), from 5 minutes before the outage to 30 after:");
        _output.WriteLine(string.Join(" ", Enumerable.Range(Math.Max(0, outageFrom - 5), Math.Min(minutes, outageTo + 30) - Math.Max(0, outageFrom - 5))
            .Select(minute => string.Create(CultureInfo.InvariantCulture, $"{minute}:{refreshes[minute]}"))));
    }

    private async Task PrintLatencyAsync(ITokenProvider tokens, EmailAccount[] accounts)
    {
        var random = new Random(20261201);
        var picks = new int[_settings.LatencySamples];
        for (var i = 0; i < picks.Length; i++)
        {
            picks[i] = random.Next(accounts.Length);
        }

        var samples = new long[picks.Length];
        for (var i = 0; i < Math.Min(picks.Length, 100_000); i++)
        {
            await Get(tokens, accounts[picks[i]]);
        }

        var gen0 = GC.CollectionCount(0);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < picks.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var pending = tokens.GetAccessTokenAsync(accounts[picks[i]], MailProtocol.Imap);
            if (!pending.IsCompletedSuccessfully)
            {
                await pending;
            }

            samples[i] = Stopwatch.GetTimestamp() - started;
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        gen0 = GC.CollectionCount(0) - gen0;
        Array.Sort(samples);
        string At(double quantile) => string.Create(CultureInfo.InvariantCulture,
            $"{samples[Math.Min(samples.Length - 1, (int)(quantile * samples.Length))] * 1e9 / Stopwatch.Frequency:0}");
        var p99 = samples[(int)(0.99 * samples.Length)] * 1e9 / Stopwatch.Frequency;

        _output.WriteLine();
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Steady-state GetAccessTokenAsync on random accounts of the {accounts.Length:N0}: {samples.Length:N0} calls, each timed with Stopwatch (its own cost included), load average {LoadAverage.Now()}:"));
        _output.WriteLine("| p50 | p90 | p99 | p99.9 | max | Allocated per call | Gen0 collections | Goal p99 ≤ 1 µs |");
        _output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---|");
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {At(0.5)} ns | {At(0.9)} ns | {At(0.99)} ns | {At(0.999)} ns | {samples[^1] * 1e9 / Stopwatch.Frequency / 1000:0} µs | {allocated / (double)samples.Length:0.0} B | {gen0} | {(p99 <= 1000 ? "met" : "not met")} |"));
    }

    // After hours of fake time, the tokens still open the mailboxes: the emulator checks them on the same clock.
    private async Task CheckMailAsync(ServiceProvider host, EmailAccount delegatedAccount, EmailAccount? appOnlyAccount)
    {
        var connector = host.GetRequiredService<IMailClientConnector>();
        foreach (var account in new[] { delegatedAccount, appOnlyAccount }.OfType<EmailAccount>())
        {
            try
            {
                using var imap = await connector.ConnectImapAsync(account);
                await imap.DisconnectAsync(true);
            }
            catch (ModernAuthException exception)
            {
                _failures.Add($"IMAP login of {account.Address} after the simulated hours failed: {exception.Message}");
            }
        }
    }

    /// <summary>Gets a token for every account; returns how many calls failed.</summary>
    private static async Task<int> ForAllAsync(ITokenProvider tokens, EmailAccount[] accounts)
    {
        var failed = 0;
        List<Task>? pending = null;
        foreach (var account in accounts)
        {
            var call = tokens.GetAccessTokenAsync(account, MailProtocol.Imap);
            if (!call.IsCompletedSuccessfully)
            {
                (pending ??= []).Add(call.AsTask());
            }
        }

        if (pending is not null)
        {
            foreach (var call in pending)
            {
                try
                {
                    await call;
                }
                catch (ModernAuthException)
                {
                    failed++;
                }
            }
        }

        return failed;
    }

    private static async ValueTask Get(ITokenProvider tokens, EmailAccount account) => await tokens.GetAccessTokenAsync(account, MailProtocol.Imap);

    private void Check(string what, double actual, double expected, double tolerance)
    {
        var ok = tolerance == 0 ? actual == expected : Math.Abs(actual - expected) <= tolerance * expected;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// check {what}: {actual:N0}, expected {expected:N0}{(tolerance == 0 ? string.Empty : $" ± {tolerance:P0}")}: {(ok ? "ok" : "OFF")}"));
        if (!ok)
        {
            _failures.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: {actual:N0}, expected {expected:N0}"));
        }
    }

    // Wide enough for the randomness of refresh times (each account refreshes 1 to 3 times an hour), tight enough to catch a
    // request per call or refreshes that stopped.
    private static double Tolerance(int population) => Math.Max(0.1, 2.0 / Math.Sqrt(population));

    private static double MsalClientHeap(ModernAuthEmulator emulator, EmulatorApplication application, EmulatorClientSecret secret, int count)
    {
        var before = Heap();
        var clients = new IConfidentialClientApplication[count];
        for (var i = 0; i < count; i++)
        {
            clients[i] = ConfidentialClientApplicationBuilder.Create(application.ClientId)
                .WithClientSecret(secret.Value)
                .WithAuthority(emulator.Identity.BaseAddress.ToString(), emulator.Tenant.TenantId, validateAuthority: false)
                .WithInstanceDiscovery(false)
                .WithRedirectUri(emulator.RedirectUri)
                .Build();
        }

        var perClient = (Heap() - before) / (double)count;
        GC.KeepAlive(clients);
        return perClient;
    }

    private static long Heap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string DelegatedName(int index) => string.Create(CultureInfo.InvariantCulture, $"tenant-{index:000}");

    private static string AppOnlyName(int index) => string.Create(CultureInfo.InvariantCulture, $"shared-{index:000}");

    private static (EmulatorApplication Application, EmulatorClientSecret Secret) NewApplication(ModernAuthEmulator emulator, string name)
    {
        var application = emulator.Directory.AddApplication(emulator.Tenant, name)
            .GrantAppRoles(EmulatorApplication.ImapAccessAsApp, EmulatorApplication.PopAccessAsApp, EmulatorApplication.SmtpSendAsApp)
            .AddDelegatedScopes(EmulatorApplication.ImapAccessAsUser, EmulatorApplication.PopAccessAsUser, EmulatorApplication.SmtpSend)
            .AddRedirectUri(emulator.RedirectUri);
        return (application, application.AddSecret());
    }

    private static void Configure(CloudProviderOptions provider, ModernAuthEmulator emulator, EmulatorApplication application, EmulatorClientSecret secret, AuthFlow flow)
    {
        emulator.ConfigureCloudProvider(provider, flow);
        provider.ClientId = application.ClientId;
        provider.ClientSecret = secret.Value;
    }
}
