using BenchmarkDotNet.Attributes;
using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Benchmarks;

/// <summary>
/// A warm cache: every call is answered without a request to the identity platform. Run with BenchmarkDotNet's default job
/// (each case in its own process, so the metrics listener of one case does not reach the others).
/// </summary>
[MemoryDiagnoser]
public class WarmTokenBenchmarks
{
    private const string BaselineKey = "bench:exchange";
    private Contenders _contenders = null!;
    private MeterCollector? _meters;

    [GlobalSetup]
    public Task SetupAsync() => WarmUpAsync();

    [GlobalSetup(Target = nameof(XCallyModernAuthWithMeterListener))]
    public Task SetupWithListenerAsync()
    {
        _meters = new MeterCollector();
        return WarmUpAsync();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_meters is not null)
        {
            Console.WriteLine($"// Measurements collected by the listener: {_meters.Measurements:N0}");
            _meters.Dispose();
        }

        _contenders.Dispose();
    }

    [Benchmark(Description = "XCally.ModernAuth GetAccessTokenAsync")]
    public AccessToken XCallyModernAuth() => Ours();

    [Benchmark(Description = "XCally.ModernAuth, MeterListener on every instrument")]
    public AccessToken XCallyModernAuthWithMeterListener() => Ours();

    [Benchmark(Baseline = true, Description = "Dictionary + expiry in front of MSAL (the limit)")]
    public string DictionaryBaseline()
    {
        var pending = _contenders.Baseline.GetAsync(BaselineKey);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "HybridCache GetOrCreateAsync around MSAL")]
    public string HybridCacheOverMsal()
    {
        var pending = _contenders.HybridGetAsync();
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "MSAL AcquireTokenForClient")]
    public Task<AuthenticationResult> Msal() =>
        _contenders.Msal.AcquireTokenForClient(Contenders.Scopes).ExecuteAsync();

    [Benchmark(Description = "Azure.Identity ClientSecretCredential")]
    public ValueTask<Azure.Core.AccessToken> AzureIdentity() =>
        _contenders.Azure.GetTokenAsync(Contenders.AzureRequest, CancellationToken.None);

    private AccessToken Ours()
    {
        var pending = _contenders.Ours.GetAccessTokenAsync(_contenders.Account, MailProtocol.Imap);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    private async Task WarmUpAsync()
    {
        _contenders = new Contenders();
        await _contenders.Ours.GetAccessTokenAsync(_contenders.Account, MailProtocol.Imap);
        await _contenders.Baseline.GetAsync(BaselineKey);
        await _contenders.HybridGetAsync();
        await _contenders.Msal.AcquireTokenForClient(Contenders.Scopes).ExecuteAsync();
        await _contenders.Azure.GetTokenAsync(Contenders.AzureRequest, CancellationToken.None);
    }
}
