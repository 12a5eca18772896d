using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Tests.Tokens;

/// <summary>
/// The token provider over a host's own store: providers rebuilt on every lookup, edited, deleted, with and without a change
/// signal, and accounts that come and go.
/// </summary>
public sealed class TokenProviderStoreTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAccessTokenAsync_StoreBuildsNewInstancePerLookup_OneRequestAndNoLookupOnWarmCalls()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        harness.Store.Rebuild = Copy;

        using var start = new ManualResetEventSlim();
        var burst = Enumerable.Range(0, 1000)
            .Select(_ => Task.Run(async () =>
            {
                start.Wait(Cancel);
                return await harness.GetAsync();
            }, Cancel))
            .ToArray();
        start.Set();
        var tokens = await Task.WhenAll(burst).WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        var lookupsAfterBurst = harness.Store.Finds;
        for (var i = 0; i < 100; i++)
        {
            Assert.NotNull(harness.GetIfImmediate());
        }

        Assert.Equal(1, harness.Endpoint.TokenRequestCount);
        Assert.Single(tokens.Select(token => token.Token).Distinct());
        Assert.Equal(1, lookupsAfterBurst);
        Assert.Equal(lookupsAfterBurst, harness.Store.Finds);
    }

    [Fact]
    public async Task GetAccessTokenAsync_ColdBurstAgainstInstantEndpoint_SendsExactlyOneRequestEveryTime()
    {
        // No gate: the first request completes while the other callers are still arriving, the race that a held endpoint hides.
        for (var run = 0; run < 50; run++)
        {
            using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
            using var start = new ManualResetEventSlim();
            var burst = Enumerable.Range(0, 1000)
                .Select(_ => Task.Run(async () =>
                {
                    start.Wait(Cancel);
                    return await harness.GetAsync();
                }, Cancel))
                .ToArray();
            start.Set();
            await Task.WhenAll(burst).WaitAsync(TimeSpan.FromSeconds(30), Cancel);

            Assert.True(harness.Endpoint.TokenRequestCount == 1, $"Run {run}: {harness.Endpoint.TokenRequestCount} token requests for one cold burst.");
        }
    }

    [Fact]
    public async Task GetAccessTokenAsync_SecretEditedThroughChangeSignal_OneNewClientAndOneNewToken()
    {
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()));
        using var harness = new TokenProviderHarness(provider);
        harness.Store.Rebuild = Copy;
        var before = await harness.GetAsync();

        var newSecret = TestModels.NewSecret();
        harness.Endpoint.ExpectedClientSecret = newSecret;
        harness.Store.Set(TestModels.Provider(new ClientSecretCredential(newSecret), provider.Name, tenantId: provider.TenantId, clientId: provider.ClientId));
        var after = await harness.GetAsync();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(after.Token, harness.GetIfImmediate()?.Token);
        }

        Assert.NotEqual(before.Token, after.Token);
        Assert.Equal(2, harness.Endpoint.TokenRequestCount);
        var logs = harness.Logs.GetSnapshot();
        Assert.Single(logs, record => record.Message.Contains("MSAL confidential client created", StringComparison.Ordinal));
        Assert.Single(logs, record => record.Message.Contains("configuration changed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAccessTokenAsync_ProviderDeletedAndSignalled_NoRequestAfterwardsAndCallsFail()
    {
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()));
        using var harness = new TokenProviderHarness(provider);
        await harness.GetAsync();

        harness.Store.Remove(provider.Name);
        await TokenProviderHarness.WaitUntilAsync(() => harness.TokenProvider.SweepsCompleted >= 1, "the store was swept");
        for (var step = 0; step < 24 * 6; step++)
        {
            harness.Time.Advance(TimeSpan.FromMinutes(10));
        }

        await Task.Delay(50, Cancel);
        Assert.Equal(1, harness.Endpoint.TokenRequestCount);
        Assert.Equal(0, harness.TokenProvider.CountSlots());
        var error = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());
        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, error.Category);
    }

    [Fact]
    public async Task GetAccessTokenAsync_ProviderDeletedWithoutSignalAndNobodyAsks_RefreshesStopWithinAFewPeriods()
    {
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()));
        using var harness = new TokenProviderHarness(provider, store: new TestCloudProviderStore(changeSignal: false, provider));
        await harness.GetAsync();

        harness.Store.Remove(provider.Name);
        for (var step = 0; step < 24 * 6; step++)
        {
            harness.Time.Advance(TimeSpan.FromMinutes(10));
            await Task.Delay(2, Cancel);
        }

        // One request of the caller, then a refresh per half-life until the token went unused for three periods.
        Assert.InRange(harness.Endpoint.TokenRequestCount, 2, 5);
        Assert.Equal(0, harness.TokenProvider.CountSlots());
    }

    [Fact]
    public async Task GetAccessTokenAsync_StoreWithoutSignal_PicksUpAnEditAfterTheRecheckInterval()
    {
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()));
        var store = new TestCloudProviderStore(changeSignal: false, provider) { Rebuild = Copy };
        using var harness = new TokenProviderHarness(provider, store: store);
        var before = await harness.GetAsync();

        var newSecret = TestModels.NewSecret();
        harness.Endpoint.ExpectedClientSecret = newSecret;
        store.Set(TestModels.Provider(new ClientSecretCredential(newSecret), provider.Name, tenantId: provider.TenantId, clientId: provider.ClientId));
        Assert.Equal(before.Token, harness.GetIfImmediate()?.Token);
        var lookups = store.Finds;

        harness.Time.Advance(new TokenProviderOptions().StoreRecheckInterval);
        var after = await harness.GetAsync();

        Assert.NotEqual(before.Token, after.Token);
        Assert.Equal(lookups + 1, store.Finds);
        Assert.Equal(2, harness.Endpoint.TokenRequestCount);
    }

    [Fact]
    public async Task GetAccessTokenAsync_StoreThrows_TransientErrorNamingTheStoreAndNextCallTriesAgain()
    {
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()));
        var store = new FailingOnceStore(provider);
        using var harness = new TokenProviderHarness(provider, otherStore: store);

        var error = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.TokenProvider.GetAccessTokenAsync(harness.Account, MailProtocol.Imap, Cancel));
        var token = await harness.TokenProvider.GetAccessTokenAsync(harness.Account, MailProtocol.Imap, Cancel);

        Assert.Equal(ModernAuthErrorCategory.Transient, error.Category);
        Assert.Contains(nameof(FailingOnceStore), error.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.NotNull(token);
    }

    [Fact]
    public async Task GetAccessTokenAsync_TenThousandDelegatedAccountsAddedThenRemoved_HoldsNoSlot()
    {
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()), flow: AuthFlow.Delegated);
        var accounts = new TestEmailAccountStore();
        using var harness = new TokenProviderHarness(provider, accounts: accounts);
        var added = Enumerable.Range(0, 10_000).Select(i => TestModels.Account(provider, $"agent{i}@contoso.example")).ToArray();
        accounts.Set(added);

        // Never signed in: each call fails, but each makes the account's slot, as a first use does.
        foreach (var account in added)
        {
            var error = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.TokenProvider.GetAccessTokenAsync(account, MailProtocol.Imap, Cancel));
            Assert.Equal(ModernAuthErrorCategory.ReauthorizationRequired, error.Category);
        }

        Assert.Equal(10_000, harness.TokenProvider.CountSlots());

        var sweeps = harness.TokenProvider.SweepsCompleted;
        accounts.Set([]);
        await TokenProviderHarness.WaitUntilAsync(() => harness.TokenProvider.SweepsCompleted > sweeps, "the store was swept");

        Assert.Equal(0, harness.TokenProvider.CountSlots());
        Assert.Equal(0, harness.Endpoint.TokenRequestCount);
    }

    [Fact]
    public async Task GetAccessTokenAsync_AccountMovedToAnotherProvider_OldProviderDropsItsSlot()
    {
        var delegated = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()), flow: AuthFlow.Delegated);
        var accounts = new TestEmailAccountStore();
        using var harness = new TokenProviderHarness(delegated, accounts: accounts);
        var account = TestModels.Account(delegated, "support@contoso.example");
        accounts.Set([account]);
        await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.TokenProvider.GetAccessTokenAsync(account, MailProtocol.Imap, Cancel));
        Assert.Equal(1, harness.TokenProvider.CountSlots());

        var sweeps = harness.TokenProvider.SweepsCompleted;
        accounts.Set([TestModels.Account(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())), "support@contoso.example")]);
        await TokenProviderHarness.WaitUntilAsync(() => harness.TokenProvider.SweepsCompleted > sweeps, "the store was swept");

        Assert.Equal(0, harness.TokenProvider.CountSlots());
    }

    [Fact]
    public void Equals_ProvidersWithSameSettings_AreEqual()
    {
        var secret = TestModels.NewSecret();
        var one = TestModels.Provider(new ClientSecretCredential(secret), "contoso", tenantId: "t", clientId: "c");

        Assert.Equal(one, Copy(one));
        Assert.Equal(one.GetHashCode(), Copy(one).GetHashCode());
        Assert.NotEqual(one, TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()), "contoso", tenantId: "t", clientId: "c"));
        Assert.NotEqual(one, TestModels.Provider(new ClientSecretCredential(secret), "contoso", tenantId: "t", clientId: "other"));
        Assert.NotEqual(one, TestModels.Provider(new ClientSecretCredential(secret), "fabrikam", tenantId: "t", clientId: "c"));
    }

    [Fact]
    public void Equals_AssertionCallbacks_ComparedByReference()
    {
        Func<ClientAssertionRequest, CancellationToken, Task<string>> callback = (_, _) => Task.FromResult("assertion");
        var one = TestModels.Provider(new ClientAssertionCredential(callback), "contoso", tenantId: "t", clientId: "c");

        Assert.Equal(one, TestModels.Provider(new ClientAssertionCredential(callback), "contoso", tenantId: "t", clientId: "c"));
        Assert.NotEqual(one, TestModels.Provider(new ClientAssertionCredential((_, _) => Task.FromResult("other")), "contoso", tenantId: "t", clientId: "c"));
    }

    private static CloudProvider Copy(CloudProvider provider) => new(
        provider.Name,
        provider.Service,
        provider.Type,
        provider.TenantId,
        provider.ClientId,
        provider.Credential switch
        {
            ClientSecretCredential secret => new ClientSecretCredential(secret.Secret, secret.ExpiresOn),
            var other => other,
        },
        provider.Cloud,
        provider.Flow,
        provider.RedirectUri,
        provider.AuthorityHost,
        provider.AllowNonMicrosoftAuthority,
        provider.Scopes.ToArray());

    /// <summary>A store whose first lookup fails, as a database that is briefly unreachable.</summary>
    private sealed class FailingOnceStore(CloudProvider provider) : ICloudProviderStore
    {
        private int _calls;

        public ValueTask<CloudProvider?> FindAsync(string name, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _calls) == 1
                ? ValueTask.FromException<CloudProvider?>(new TimeoutException("The database did not answer."))
                : new(provider);

        public ValueTask<IReadOnlyList<CloudProvider>> ListAsync(CancellationToken cancellationToken = default) => new([provider]);
    }
}
