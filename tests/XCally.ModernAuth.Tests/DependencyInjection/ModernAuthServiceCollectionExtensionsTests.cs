using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;
using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.DependencyInjection;

public class ModernAuthServiceCollectionExtensionsTests
{
    private const string ValidJson = $$"""
        { "XCallyModernAuth": {
            "CloudProviders": { "contoso": { "TenantId": "{{TestConfiguration.TenantId}}", "ClientId": "{{TestConfiguration.ClientId}}", "ClientSecret": "from-json" } },
            "EmailAccounts": [ { "Address": "sales@contoso.com", "CloudProvider": "contoso" } ]
        } }
        """;

    [Fact]
    public void AddXCallyModernAuth_NullArguments_Throw()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddXCallyModernAuth());
        Assert.Throws<ArgumentNullException>(() => services.AddXCallyModernAuth((Microsoft.Extensions.Configuration.IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddXCallyModernAuth((Action<ModernAuthOptions>)null!));
    }

    [Fact]
    public void AddXCallyModernAuth_CalledTwiceWithTheSameSection_RegistersOnce()
    {
        var configuration = TestConfiguration.FromJson(ValidJson);
        Action<ModernAuthOptions> configure = _ => { };
        var once = new ServiceCollection();
        once.AddXCallyModernAuth(configuration.GetSection("XCallyModernAuth"));
        once.AddXCallyModernAuth(configure);
        var twice = new ServiceCollection();

        twice.AddXCallyModernAuth(configuration.GetSection("XCallyModernAuth"));
        twice.AddXCallyModernAuth(configuration.GetSection("XCallyModernAuth"));
        twice.AddXCallyModernAuth(configure);
        twice.AddXCallyModernAuth(configure);
        twice.AddXCallyModernAuth();

        Assert.Equal(once.Count, twice.Count);
        using var provider = twice.BuildServiceProvider();
        Assert.Single(provider.GetRequiredService<IOptions<ModernAuthOptions>>().Value.EmailAccounts);
    }

    [Fact]
    public async Task AddXCallyModernAuth_ConfigurationRoot_BindsItsXCallyModernAuthSection()
    {
        var services = new ServiceCollection();
        services.AddXCallyModernAuth(TestConfiguration.FromJson(ValidJson));
        using var provider = services.BuildServiceProvider();

        Assert.NotNull(await provider.GetRequiredService<ICloudProviderStore>().FindAsync("contoso", TestContext.Current.CancellationToken));
    }

    [Fact]
    public void ValidateOnStart_InvalidConfiguration_FailsAtStartWithEveryProblem()
    {
        var services = new ServiceCollection();
        services.AddXCallyModernAuth(TestConfiguration.FromJson("""
            { "XCallyModernAuth": {
                "CloudProviders": { "contoso": { "TenantId": "common", "ClientId": "abc", "ClientSecret": "x", "Cloud": "Mars" } },
                "EmailAccounts": [ { "Address": "sales@contoso.com", "CloudProvider": "fabrikam" } ]
            } }
            """));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(4, ex.Failures.Count());
        Assert.Contains("XCallyModernAuth:CloudProviders:contoso:Cloud: 'Mars' is not a cloud", ex.Message, StringComparison.Ordinal);
        Assert.Contains("XCallyModernAuth:CloudProviders:contoso:TenantId: 'common'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("XCallyModernAuth:CloudProviders:contoso:ClientId: 'abc' is not a GUID", ex.Message, StringComparison.Ordinal);
        Assert.Contains("XCallyModernAuth:EmailAccounts:0:CloudProvider: 'fabrikam'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateOnStart_ValidConfiguration_Passes()
    {
        var services = new ServiceCollection();
        services.AddXCallyModernAuth(TestConfiguration.FromJson(ValidJson));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void AddXCallyModernAuth_HostStores_KeptInsteadOfTheDefaults()
    {
        var providers = new Mock<ICloudProviderStore>(MockBehavior.Strict).Object;
        var accounts = new Mock<IEmailAccountStore>(MockBehavior.Strict).Object;
        var services = new ServiceCollection();
        services.AddSingleton(providers);
        services.AddSingleton(accounts);

        services.AddXCallyModernAuth();
        using var provider = services.BuildServiceProvider();

        Assert.Same(providers, provider.GetRequiredService<ICloudProviderStore>());
        Assert.Same(accounts, provider.GetRequiredService<IEmailAccountStore>());
    }

    [Fact]
    public async Task AddXCallyModernAuth_Delegate_ConfiguresProvidersAndAccounts()
    {
        var services = new ServiceCollection();
        services.AddXCallyModernAuth(options =>
        {
            options.CloudProviders["contoso"] = TestConfiguration.ValidProvider();
            options.EmailAccounts.Add(new EmailAccountOptions { Address = "sales@contoso.com", CloudProvider = "contoso" });
        });
        using var provider = services.BuildServiceProvider();

        var account = await provider.GetRequiredService<IEmailAccountStore>().FindAsync("sales@contoso.com", TestContext.Current.CancellationToken);

        Assert.Equal("contoso", account!.CloudProviderName);
    }
}
