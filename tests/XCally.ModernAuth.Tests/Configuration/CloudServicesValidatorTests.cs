using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.Configuration;

/// <summary>
/// CloudProviders entries of services other than Microsoft Azure: kept for their package, never asked for Office 365 settings, and
/// refused at start when that package is not registered.
/// </summary>
public class CloudServicesValidatorTests
{
    private const string WithSalesforce = $$"""
        { "XCallyModernAuth": {
            "CloudProviders": {
              "contoso": { "TenantId": "{{TestConfiguration.TenantId}}", "ClientId": "{{TestConfiguration.ClientId}}", "ClientSecret": "x" },
              "crm": { "Service": "Salesforce", "Type": "ConnectedApp", "LoginUrl": "https://contoso.my.salesforce.com", "ConsumerKey": "3MVG9key" }
            },
            "EmailAccounts": [ { "Address": "sales@contoso.com", "CloudProvider": "contoso" } ]
        } }
        """;

    [Fact]
    public void ValidateOnStart_SalesforceEntryWithoutItsPackage_RefusedWithPathPackageAndCallButNoOffice365Settings()
    {
        using var provider = Build(WithSalesforce);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failure = Assert.Single(ex.Failures);
        Assert.Equal(
            "XCallyModernAuth:CloudProviders:crm:Service: Salesforce providers need the XCally.ModernAuth.Salesforce package; add it to the host and call AddSalesforce() on the builder that AddXCallyModernAuth returns",
            failure);
        Assert.DoesNotContain("TenantId", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ConsumerKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_SalesforceEntry_KeptForItsPackageAndNotAnOffice365Provider()
    {
        using var provider = Build(WithSalesforce);

        // Bound as the options factory binds, without its validation.
        var options = new ModernAuthOptions();
        foreach (var configure in provider.GetServices<IConfigureOptions<ModernAuthOptions>>())
        {
            configure.Configure(options);
        }

        Assert.Equal(["contoso"], options.CloudProviders.Keys);
        var entry = Assert.Single(options.ServiceProviders.Values);
        Assert.Equal(("crm", "Salesforce", "XCallyModernAuth:CloudProviders:crm"), (entry.Name, entry.Service, entry.ConfigurationPath));
        Assert.Equal("3MVG9key", Assert.Single(entry.Sections)["ConsumerKey"]);
        Assert.Empty(options.UnknownKeys);
    }

    [Fact]
    public void ValidateOnStart_SalesforceEntryClaimedByARegistration_PassesHere()
    {
        var services = Services(WithSalesforce);
        services.AddSingleton(new CloudServiceRegistration("Salesforce"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void ValidateOnStart_UnknownService_RefusedNamingTheServicesThatExist()
    {
        using var provider = Build("""
            { "XCallyModernAuth": { "CloudProviders": { "x": { "Service": "Mars", "TenantId": "t" } } } }
            """);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            "XCallyModernAuth:CloudProviders:x:Service: 'Mars' is not a cloud service; use MicrosoftAzure, or Salesforce (package XCally.ModernAuth.Salesforce)",
            Assert.Single(ex.Failures));
    }

    [Fact]
    public void ValidateOnStart_Office365MistakesBesideASalesforceEntry_StillAllRefused()
    {
        using var provider = Build("""
            { "XCallyModernAuth": {
                "CloudProviders": {
                  "contoso": { "TenantId": "common", "ClientId": "abc", "ClientSecret": "x" },
                  "crm": { "Service": "Salesforce" }
                },
                "EmailAccounts": [ { "Address": "sales@contoso.com", "CloudProvider": "crm" } ]
            } }
            """);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(ex.Failures, f => f.StartsWith("XCallyModernAuth:CloudProviders:contoso:TenantId: 'common'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("XCallyModernAuth:CloudProviders:contoso:ClientId: 'abc' is not a GUID", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("XCallyModernAuth:CloudProviders:crm:Service: Salesforce providers need", StringComparison.Ordinal));
        Assert.Contains("XCallyModernAuth:EmailAccounts:0:CloudProvider: 'crm' is a Salesforce provider, which cannot open mailboxes; associate the account with a Microsoft Azure (Office 365) provider", ex.Failures);
    }

    [Fact]
    public void ValidateOnStart_NameUsedByAnOffice365ProviderInCodeAndASalesforceEntry_Refused()
    {
        var services = Services(WithSalesforce);
        services.AddSingleton(new CloudServiceRegistration("Salesforce"));
        services.AddXCallyModernAuth().AddCloudProvider("crm", o =>
        {
            o.TenantId = TestConfiguration.TenantId;
            o.ClientId = TestConfiguration.ClientId;
            o.ClientSecret = "x";
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("XCallyModernAuth:CloudProviders:crm: the name 'crm' is used by a Microsoft Azure provider and by a Salesforce provider; give each provider its own name", ex.Failures);
    }

    [Fact]
    public void Claims_IgnoresCaseSpacesAndHyphens()
    {
        var registration = new CloudServiceRegistration("Salesforce", "SFDC");

        Assert.True(registration.Claims("sales-force"));
        Assert.True(registration.Claims("SALES FORCE"));
        Assert.True(registration.Claims("sfdc"));
        Assert.False(registration.Claims("GoogleWorkspace"));
    }

    private static ServiceCollection Services(string json)
    {
        var services = new ServiceCollection();
        services.AddXCallyModernAuth(TestConfiguration.FromJson(json));
        return services;
    }

    private static ServiceProvider Build(string json) => Services(json).BuildServiceProvider();
}
