using Microsoft.Extensions.DependencyInjection;
using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.Stores;

public class OptionsEmailAccountStoreTests
{
    [Fact]
    public async Task FindAsync_AddressInAnyCase_CompletesSynchronouslyWithTheAccount()
    {
        var services = new ServiceCollection();
        services.AddXCallyModernAuth(TestConfiguration.FromValues(TestConfiguration.ValidValues(TestConfiguration.NewSecret())));
        using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IEmailAccountStore>();

        var lookup = store.FindAsync("Sales@Contoso.com", TestContext.Current.CancellationToken);

        Assert.True(lookup.IsCompletedSuccessfully);
        Assert.Equal("sales@contoso.com", (await lookup)!.Address);
        Assert.Null(await store.FindAsync("other@contoso.com", TestContext.Current.CancellationToken));
        Assert.Single(await store.ListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Reload_AccountAdded_AppearsWithoutReplacingTheOther()
    {
        var configuration = TestConfiguration.FromValues(TestConfiguration.ValidValues(TestConfiguration.NewSecret()));
        var services = new ServiceCollection();
        services.AddXCallyModernAuth(configuration);
        using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IEmailAccountStore>();
        var sales = await store.FindAsync("sales@contoso.com", TestContext.Current.CancellationToken);

        configuration["XCallyModernAuth:EmailAccounts:1:Address"] = "support@contoso.com";
        configuration["XCallyModernAuth:EmailAccounts:1:CloudProvider"] = "contoso";
        configuration.Reload();

        Assert.NotNull(await store.FindAsync("support@contoso.com", TestContext.Current.CancellationToken));
        Assert.Same(sales, await store.FindAsync("sales@contoso.com", TestContext.Current.CancellationToken));
    }
}
