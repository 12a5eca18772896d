using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth.Benchmarks.Scale;

/// <summary>
/// A thousand <see cref="ImapIdleSession"/>s (app-only, one provider, a mailbox each) in this process against the emulator in
/// another, on the real clock: the SDK host's heap per session and its thread count as sessions are added, then the emulator
/// drops every connection at once, and the run counts when each session tried again, how many token requests that cost and
/// how long until every session was back in IDLE.
/// </summary>
internal sealed class IdleScale
{
    private const string ProviderName = "idle";
    private static readonly TimeSpan AllBackBound = TimeSpan.FromMinutes(5);

    private readonly ScaleSettings _settings;
    private readonly TextWriter _output;
    private readonly List<string> _failures = [];

    public IdleScale(ScaleSettings settings, TextWriter output)
    {
        _settings = settings;
        _output = output;
    }

    public async Task<IReadOnlyList<string>> RunAsync()
    {
        var count = _settings.IdleSessions;
        await using var emulator = await EmulatorProcess.StartAsync(count);
        var endpoints = emulator.Endpoints;
        using var identityCertificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(endpoints.IdentityCertificate));
        using var mailCertificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(endpoints.MailCertificate));

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHttpClient(ModernAuthDefaults.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TrustExactly(identityCertificate) },
            });
        var builder = services.AddXCallyModernAuth()
            .ConfigureMailConnector(options => options.ServerCertificateValidationCallback = TrustExactly(mailCertificate))
            .AddCloudProvider(ProviderName, provider =>
            {
                provider.TenantId = endpoints.TenantId;
                provider.ClientId = endpoints.ClientId;
                provider.ClientSecret = endpoints.ClientSecret;
                provider.AuthorityHost = endpoints.AuthorityHost;
                provider.AllowNonMicrosoftAuthority = true;
            });
        var addresses = Enumerable.Range(0, count).Select(i => $"{EmulatorProcess.MailboxName(i)}@{endpoints.Domain}").ToArray();
        foreach (var address in addresses)
        {
            builder.AddEmailAccount(address, ProviderName, account =>
            {
                account.Imap.Host = endpoints.ImapHost;
                account.Imap.Port = endpoints.ImapPort;
                account.Imap.TlsMode = MailTlsMode.Implicit;
            });
        }

        await using var host = services.BuildServiceProvider();
        var connector = host.GetRequiredService<IMailClientConnector>();
        var options = new ImapIdleOptions();
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"IMAP IDLE: {count:N0} sessions (app-only, one provider, a mailbox each), the emulator in its own process, real clock; reconnect back-off {options.InitialReconnectDelay.TotalSeconds:0} s doubling, jittered to 50-100 %."));

        var sessions = new Tracked[count];
        using var stop = new CancellationTokenSource();
        var runs = new List<Task>(count);
        var baseline = Measure();
        var rows = new List<(int Sessions, Sample Sample)> { (0, baseline) };
        var tokensAtStart = (await emulator.StatsAsync()).TokenRequests;
        var started = 0;
        foreach (var target in new[] { count / 4, count / 2, count })
        {
            for (; started < target; started++)
            {
                sessions[started] = new Tracked(connector.CreateImapIdleSession(addresses[started], options));
                runs.Add(sessions[started].RunAsync(stop.Token));
            }

            await WaitAllIdleAsync(sessions.Take(started), AllBackBound);
            rows.Add((started, Measure()));
        }

        var afterStart = await emulator.StatsAsync();
        _output.WriteLine();
        _output.WriteLine("| Sessions in IDLE | GC heap | Heap per session | Process threads | Thread-pool threads | Load average |");
        _output.WriteLine("|---:|---:|---:|---:|---:|---|");
        foreach (var (sessionCount, sample) in rows)
        {
            var perSession = sessionCount == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{(sample.Heap - baseline.Heap) / 1024.0 / sessionCount:0.0} KiB");
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {sessionCount:N0} | {sample.Heap / 1024.0 / 1024.0:0.0} MiB | {perSession} | {sample.Threads} | {sample.PoolThreads} | {sample.Load} |"));
        }

        Check("token requests for the first connections (one provider)", afterStart.TokenRequests - tokensAtStart, 1);

        // Every connection dropped at once.
        foreach (var session in sessions)
        {
            session.ResetAfterDrop();
        }

        var dropWatch = Stopwatch.StartNew();
        var dropped = int.Parse(await emulator.SendAsync("drop"), CultureInfo.InvariantCulture);
        foreach (var session in sessions)
        {
            session.MarkDrop(dropWatch);
        }

        var allBack = await WaitAllBackAsync(sessions, AllBackBound);
        var backAfter = dropWatch.Elapsed;
        var afterDrop = await emulator.StatsAsync();
        var recovered = Measure();

        var firstAttempts = sessions.Select(s => s.FirstReconnectAt).OfType<TimeSpan>().Order().ToArray();
        var backTimes = sessions.Select(s => s.BackAt).OfType<TimeSpan>().Order().ToArray();
        var attempts = sessions.GroupBy(s => s.AttemptsAfterDrop).OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} attempt{(g.Key == 1 ? string.Empty : "s")}: {g.Count():N0}"));
        _output.WriteLine();
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"The emulator dropped {dropped:N0} connections at once (load average {LoadAverage.Now()}):"));
        _output.WriteLine("| Measure | Value |");
        _output.WriteLine("|---|---:|");
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| First reconnect attempts began | {Quantile(firstAttempts, 0):0.00} s to {Quantile(firstAttempts, 1):0.00} s after the drop (median {Quantile(firstAttempts, 0.5):0.00} s) |"));
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Reconnect attempts per session | {string.Join(", ", attempts)} |"));
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Back in IDLE: median / p90 / p99 / last | {Quantile(backTimes, 0.5):0.00} s / {Quantile(backTimes, 0.9):0.00} s / {Quantile(backTimes, 0.99):0.00} s / {Quantile(backTimes, 1):0.00} s |"));
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Sessions back within {AllBackBound.TotalMinutes:0} min | {backTimes.Length:N0} of {count:N0} ({(allBack ? "all" : "NOT all")}, {backAfter.TotalSeconds:0.0} s) |"));
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Token requests caused by the drop | {afterDrop.TokenRequests - afterStart.TokenRequests} |"));
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Process threads / thread-pool threads after | {recovered.Threads} / {recovered.PoolThreads} |"));
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Emulator sessions that faulted | {afterDrop.FaultedSessions} |"));
        _output.WriteLine("First reconnect attempts per 100 ms after the drop: " + Histogram(firstAttempts, TimeSpan.FromMilliseconds(100)));

        // How long the sessions take to come back is a measurement, not a check: on a loaded machine it stretches, and the run
        // fails only on counts (token requests, sessions that faulted), never on time.
        if (!allBack)
        {
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Note: {count - backTimes.Length:N0} of {count:N0} sessions were not yet back in IDLE after {AllBackBound.TotalMinutes:0} min (wall clock)."));
        }

        if (afterDrop.TokenRequests - afterStart.TokenRequests > 1)
        {
            _failures.Add($"the drop caused {afterDrop.TokenRequests - afterStart.TokenRequests} token requests for one provider (at most 1)");
        }

        if (sessions.Any(s => s.Faulted))
        {
            _failures.Add($"{sessions.Count(s => s.Faulted)} IDLE sessions faulted");
        }

        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(runs).WaitAsync(TimeSpan.FromMinutes(1));
        }
        catch (OperationCanceledException)
        {
            // Stopped, as asked.
        }

        return _failures;
    }

    private void Check(string what, int actual, int atMost)
    {
        var ok = actual <= atMost;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// check {what}: {actual}, at most {atMost}: {(ok ? "ok" : "OFF")}"));
        if (!ok)
        {
            _failures.Add($"{what}: {actual}, at most {atMost}");
        }
    }

    private static async Task WaitAllIdleAsync(IEnumerable<Tracked> sessions, TimeSpan bound)
    {
        var list = sessions.ToArray();
        var deadline = Stopwatch.StartNew();
        while (list.Any(s => !s.EverIdle) && deadline.Elapsed < bound)
        {
            await Task.Delay(50);
        }
    }

    private static async Task<bool> WaitAllBackAsync(Tracked[] sessions, TimeSpan bound)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < bound)
        {
            if (sessions.All(s => s.BackAt is not null))
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    private static Sample Measure()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var process = Process.GetCurrentProcess();
        return new Sample(GC.GetTotalMemory(forceFullCollection: true), process.Threads.Count, ThreadPool.ThreadCount, LoadAverage.Now());
    }

    private static double Quantile(TimeSpan[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))].TotalSeconds;

    private static string Histogram(TimeSpan[] sorted, TimeSpan width) =>
        sorted.Length == 0
            ? "none"
            : string.Join(" ", sorted.GroupBy(t => (int)(t / width)).OrderBy(g => g.Key)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key * width.TotalSeconds:0.0}s:{g.Count()}")));

    private static RemoteCertificateValidationCallback TrustExactly(X509Certificate2 expected) =>
        (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == expected.GetCertHashString();

    private sealed record Sample(long Heap, int Threads, int PoolThreads, string Load);

    /// <summary>One session and what it did after the drop, recorded from its state changes.</summary>
    private sealed class Tracked
    {
        private readonly ImapIdleSession _session;
        private Stopwatch? _sinceDrop;
        private int _attempts;
        private long _firstReconnectTicks = -1;
        private long _backTicks = -1;
        private volatile bool _everIdle;
        private volatile bool _faulted;

        public Tracked(ImapIdleSession session)
        {
            _session = session;
            _session.StateChanged += OnStateChanged;
        }

        public bool EverIdle => _everIdle;

        public bool Faulted => _faulted;

        public int AttemptsAfterDrop => Volatile.Read(ref _attempts);

        public TimeSpan? FirstReconnectAt => Interlocked.Read(ref _firstReconnectTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

        public TimeSpan? BackAt => Interlocked.Read(ref _backTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

        public Task RunAsync(CancellationToken cancellationToken) =>
            Task.Run(() => _session.RunAsync((_, _) => Task.CompletedTask, cancellationToken), CancellationToken.None);

        public void ResetAfterDrop()
        {
            Volatile.Write(ref _attempts, 0);
            Interlocked.Exchange(ref _firstReconnectTicks, -1);
            Interlocked.Exchange(ref _backTicks, -1);
        }

        public void MarkDrop(Stopwatch sinceDrop) => Volatile.Write(ref _sinceDrop, sinceDrop);

        private void OnStateChanged(object? sender, ImapIdleStateChangedEventArgs change)
        {
            var sinceDrop = Volatile.Read(ref _sinceDrop);
            switch (change.State)
            {
                case ImapIdleSessionState.Idle:
                    _everIdle = true;
                    if (sinceDrop is not null && Volatile.Read(ref _attempts) > 0)
                    {
                        Interlocked.CompareExchange(ref _backTicks, sinceDrop.Elapsed.Ticks, -1);
                    }

                    break;
                case ImapIdleSessionState.Connecting when sinceDrop is not null && change.ReconnectAttempt > 0:
                    Interlocked.Increment(ref _attempts);
                    Interlocked.CompareExchange(ref _firstReconnectTicks, sinceDrop.Elapsed.Ticks, -1);
                    break;
                case ImapIdleSessionState.Faulted:
                    _faulted = true;
                    break;
            }
        }
    }
}
