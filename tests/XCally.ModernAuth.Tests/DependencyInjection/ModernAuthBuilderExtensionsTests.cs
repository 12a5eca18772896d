using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.DependencyInjection;

public class ModernAuthBuilderExtensionsTests
{
    [Fact]
    public void AddCloudProvider_NullArguments_Throw()
    {
        var builder = new ServiceCollection().AddXCallyModernAuth();

        Assert.Throws<ArgumentNullException>(() => ((IModernAuthBuilder)null!).AddCloudProvider("a", _ => { }));
        Assert.ThrowsAny<ArgumentException>(() => builder.AddCloudProvider(" ", _ => { }));
        Assert.Throws<ArgumentNullException>(() => builder.AddCloudProvider("a", (Action<CloudProviderOptions>)null!));
        Assert.ThrowsAny<ArgumentException>(() => builder.AddEmailAccount("", "contoso"));
        Assert.ThrowsAny<ArgumentException>(() => builder.AddEmailAccount("a@contoso.com", null!));
    }

    [Fact]
    public async Task AddCloudProviderAndEmailAccount_InCode_Resolvable()
    {
        var services = new ServiceCollection();
        services.AddXCallyModernAuth()
            .AddCloudProvider("contoso", o =>
            {
                o.TenantId = TestConfiguration.TenantId;
                o.ClientId = TestConfiguration.ClientId;
                o.ClientAssertion = (_, _) => Task.FromResult("signed");
            })
            .AddEmailAccount("sales@contoso.com", "contoso", a => a.Pop3.Enabled = false);
        using var provider = services.BuildServiceProvider();

        var account = await provider.GetRequiredService<IEmailAccountStore>().FindAsync("sales@contoso.com", TestContext.Current.CancellationToken);
        var cloudProvider = await provider.GetRequiredService<ICloudProviderStore>().FindAsync("contoso", TestContext.Current.CancellationToken);

        Assert.Null(account!.Pop3);
        Assert.IsType<ClientAssertionCredential>(cloudProvider!.Credential);
    }

    [Fact]
    public void AddCloudProviderAndEmailAccount_AfterBoundSection_CompleteWhatConfigurationSays()
    {
        var values = TestConfiguration.ValidValues(TestConfiguration.NewSecret());
        values.Remove("XCallyModernAuth:CloudProviders:contoso:ClientSecret");
        var services = new ServiceCollection();

        services.AddXCallyModernAuth(TestConfiguration.FromValues(values).GetSection("XCallyModernAuth"))
            .AddCloudProvider("Contoso", o => o.ClientAssertion = (_, _) => Task.FromResult("signed"))
            .AddEmailAccount("SALES@contoso.com", "contoso", a => a.UserName = "shared@contoso.com")
            .AddEmailAccount("support@contoso.com", "contoso");
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ModernAuthOptions>>().Value;

        var contoso = Assert.Single(options.CloudProviders).Value;
        Assert.Equal(TestConfiguration.TenantId, contoso.TenantId);
        Assert.NotNull(contoso.ClientAssertion);
        Assert.Equal(2, options.EmailAccounts.Count);
        Assert.Equal("shared@contoso.com", options.EmailAccounts[0].UserName);
    }

    [Fact]
    public async Task AddCloudProvider_ConfigurationSection_BoundAndReloaded()
    {
        var secret = TestConfiguration.NewSecret();
        var configuration = TestConfiguration.FromValues(new Dictionary<string, string?>
        {
            ["Tenants:Contoso:TenantId"] = TestConfiguration.TenantId,
            ["Tenants:Contoso:ClientId"] = TestConfiguration.ClientId,
            ["Tenants:Contoso:ClientSecret"] = secret,
        });
        var services = new ServiceCollection();
        services.AddXCallyModernAuth().AddCloudProvider("contoso", configuration.GetSection("Tenants:Contoso"));
        using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<ICloudProviderStore>();
        var before = await store.FindAsync("contoso", TestContext.Current.CancellationToken);

        configuration["Tenants:Contoso:ClientSecret"] = TestConfiguration.NewSecret();
        configuration.Reload();

        Assert.NotSame(before, await store.FindAsync("contoso", TestContext.Current.CancellationToken));
    }

    [Fact]
    public void AddCloudProvider_ConfigurationSectionWithBadValue_ReportedWithItsPath()
    {
        var configuration = TestConfiguration.FromValues(new Dictionary<string, string?> { ["Tenants:Contoso:Cloud"] = "Mars" });
        var services = new ServiceCollection();
        services.AddXCallyModernAuth().AddCloudProvider("contoso", configuration.GetSection("Tenants:Contoso"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ModernAuthOptions>>().Value);

        Assert.Contains("Tenants:Contoso:Cloud: 'Mars' is not a cloud", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Tenants:Contoso:TenantId: missing", ex.Message, StringComparison.Ordinal);
    }
}
