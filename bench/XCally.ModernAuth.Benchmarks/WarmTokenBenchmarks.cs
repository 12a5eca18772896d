using BenchmarkDotNet.Attributes;
using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Benchmarks;

/// <summary>A warm cache: every call is answered without a request to the identity platform.</summary>
[MemoryDiagnoser]
public class WarmTokenBenchmarks
{
    private Contenders _contenders = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _contenders = new Contenders();
        await _contenders.Ours.GetAccessTokenAsync(_contenders.Account, MailProtocol.Imap);
        await _contenders.Msal.AcquireTokenForClient(Contenders.Scopes).ExecuteAsync();
        await _contenders.Azure.GetTokenAsync(Contenders.AzureRequest, CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup() => _contenders.Dispose();

    [Benchmark(Description = "XCally.ModernAuth GetAccessTokenAsync")]
    public AccessToken XCallyModernAuth()
    {
        var pending = _contenders.Ours.GetAccessTokenAsync(_contenders.Account, MailProtocol.Imap);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "MSAL AcquireTokenForClient")]
    public Task<AuthenticationResult> Msal() =>
        _contenders.Msal.AcquireTokenForClient(Contenders.Scopes).ExecuteAsync();

    [Benchmark(Description = "Azure.Identity ClientSecretCredential")]
    public ValueTask<Azure.Core.AccessToken> AzureIdentity() =>
        _contenders.Azure.GetTokenAsync(Contenders.AzureRequest, CancellationToken.None);
}
