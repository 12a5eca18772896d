using System.Globalization;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Benchmarks;

/// <summary>
/// 1,000 concurrent callers on a cold cache, for each contender: the endpoint holds every request at a gate until all callers
/// have started and no further request arrives, then answers; the figure is how many requests reached it.
/// </summary>
internal static class ColdBurst
{
    public const int Callers = 1000;

    public static async Task<int> RunAsync(TextWriter output)
    {
        output.WriteLine($"Cold burst: {Callers.ToString(CultureInfo.InvariantCulture)} concurrent callers on a cold cache");
        output.WriteLine("| Contender | Requests to the token endpoint | Distinct tokens handed out |");
        output.WriteLine("|---|---:|---:|");

        var ours = 0;
        using (var contenders = new Contenders())
        {
            ours = await MeasureAsync(output, "XCally.ModernAuth GetAccessTokenAsync", contenders.OursEndpoint,
                async () => (await contenders.Ours.GetAccessTokenAsync(contenders.Account, MailProtocol.Imap)).Token);
        }

        var oursWithListener = 0;
        using (var meters = new MeterCollector())
        using (var contenders = new Contenders())
        {
            oursWithListener = await MeasureAsync(output, "XCally.ModernAuth, MeterListener on every instrument", contenders.OursEndpoint,
                async () => (await contenders.Ours.GetAccessTokenAsync(contenders.Account, MailProtocol.Imap)).Token);
        }

        using (var contenders = new Contenders())
        {
            await MeasureAsync(output, "Dictionary + expiry in front of MSAL", contenders.BaselineEndpoint,
                async () => await contenders.Baseline.GetAsync("bench:exchange"));
        }

        var hybrid = 0;
        using (var contenders = new Contenders())
        {
            hybrid = await MeasureAsync(output, "HybridCache GetOrCreateAsync around MSAL", contenders.HybridEndpoint,
                async () => await contenders.HybridGetAsync());
        }

        using (var contenders = new Contenders())
        {
            await MeasureAsync(output, "MSAL AcquireTokenForClient", contenders.MsalEndpoint,
                async () => (await contenders.Msal.AcquireTokenForClient(Contenders.Scopes).ExecuteAsync()).AccessToken);
        }

        using (var contenders = new Contenders())
        {
            await MeasureAsync(output, "Azure.Identity ClientSecretCredential", contenders.AzureEndpoint,
                async () => (await contenders.Azure.GetTokenAsync(Contenders.AzureRequest, CancellationToken.None)).Token);
        }

        var instant = await MeasureInstantAsync(output);
        output.WriteLine();
        output.WriteLine($"HybridCache's stampede protection sent {hybrid.ToString(CultureInfo.InvariantCulture)} request(s) for the burst.");
        return ours == 1 && oursWithListener == 1 && instant.All(requests => requests == 1) ? 0 : 1;
    }

    /// <summary>
    /// The same burst against an endpoint that answers at once, repeated: the first request completes while callers are still
    /// arriving, the case a held endpoint hides. Ours only: the others send a request per caller either way.
    /// </summary>
    private static async Task<int[]> MeasureInstantAsync(TextWriter output, int runs = 50)
    {
        var counts = new int[runs];
        for (var run = 0; run < runs; run++)
        {
            using var contenders = new Contenders();
            using var start = new ManualResetEventSlim();
            var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return (await contenders.Ours.GetAccessTokenAsync(contenders.Account, MailProtocol.Imap)).Token;
            })).ToArray();
            start.Set();
            await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60));
            counts[run] = contenders.OursEndpoint.TokenRequestCount;
        }

        output.WriteLine();
        output.WriteLine($"Cold burst against an endpoint that answers at once, {runs.ToString(CultureInfo.InvariantCulture)} runs of {Callers.ToString(CultureInfo.InvariantCulture)} callers (XCally.ModernAuth):");
        output.WriteLine("| Requests per burst | Runs |");
        output.WriteLine("|---:|---:|");
        foreach (var group in counts.GroupBy(count => count).OrderBy(group => group.Key))
        {
            output.WriteLine($"| {group.Key.ToString(CultureInfo.InvariantCulture)} | {group.Count().ToString(CultureInfo.InvariantCulture)} |");
        }

        return counts;
    }

    private static async Task<int> MeasureAsync(TextWriter output, string name, TestTokenEndpoint endpoint, Func<Task<string>> call)
    {
        endpoint.CloseGate();
        var started = 0;
        var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(() =>
        {
            Interlocked.Increment(ref started);
            return call();
        })).ToArray();

        // Wait (bounded) until every caller has started and the number of requests held at the gate has settled.
        var deadline = Environment.TickCount64 + 20_000;
        var lastCount = -1;
        var stableSince = Environment.TickCount64;
        while (Environment.TickCount64 < deadline)
        {
            var count = endpoint.TokenRequestCount;
            if (count != lastCount)
            {
                lastCount = count;
                stableSince = Environment.TickCount64;
            }
            else if (Volatile.Read(ref started) == Callers && count > 0 && Environment.TickCount64 - stableSince > 500)
            {
                break;
            }

            await Task.Delay(10);
        }

        endpoint.OpenGate();
        var tokens = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60));
        var requests = endpoint.TokenRequestCount;
        output.WriteLine($"| {name} | {requests.ToString(CultureInfo.InvariantCulture)} | {tokens.Distinct().Count().ToString(CultureInfo.InvariantCulture)} |");
        return requests;
    }
}
