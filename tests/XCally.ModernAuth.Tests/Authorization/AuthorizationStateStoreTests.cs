using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Tests.Authorization;

public class AuthorizationStateStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TakeAsync_TwiceWithOneState_SecondIsUnknown()
    {
        var (store, _) = Create();
        var state = await store.AddAsync(expires => Sample(expires), Ct);

        var first = await store.TakeAsync(state, Ct);
        var second = await store.TakeAsync(state, Ct);

        Assert.Equal("agent@contoso.com", first.State?.AccountAddress);
        Assert.False(first.Expired);
        Assert.Null(second.State);
    }

    [Fact]
    public async Task TakeAsync_AfterTheLifetime_Expired()
    {
        var (store, time) = Create();
        var state = await store.AddAsync(expires => Sample(expires), Ct);
        time.Advance(TimeSpan.FromMinutes(10));

        Assert.True((await store.TakeAsync(state, Ct)).Expired);
    }

    [Fact]
    public async Task AddAsync_ManyStates_RandomUrlSafeAndDistinct()
    {
        var (store, _) = Create();

        var states = new HashSet<string>();
        for (var i = 0; i < 50; i++)
        {
            states.Add(await store.AddAsync(expires => Sample(expires), Ct));
        }

        Assert.Equal(50, states.Count);
        Assert.All(states, s => Assert.Matches("^[A-Za-z0-9_-]{43}$", s));
    }

    [Fact]
    public void ToString_State_NeverShowsTheVerifier()
    {
        Assert.DoesNotContain("verifier-value", Sample(DateTimeOffset.UtcNow).ToString(), StringComparison.Ordinal);
    }

    private static AuthorizationState Sample(DateTimeOffset expires) =>
        new("contoso", "agent@contoso.com", "agent@contoso.com", "https://localhost/cb", "verifier-value", expires);

    private static (AuthorizationStateStore Store, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var services = new ServiceCollection().AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()).AddSingleton<ModernAuthDataProtection>().BuildServiceProvider();
        return (new AuthorizationStateStore(Options.Create(new TokenCacheOptions()), Options.Create(new DelegatedAuthorizationOptions()), services, time), time);
    }
}
