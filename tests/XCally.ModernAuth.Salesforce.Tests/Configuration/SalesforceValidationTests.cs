using XCally.ModernAuth.Salesforce.Tests.Infrastructure;

namespace XCally.ModernAuth.Salesforce.Tests.Configuration;

/// <summary>Salesforce mistakes refused at start, each with its configuration path and its fix; what is right passes.</summary>
public class SalesforceValidationTests
{
    private const string Path = "XCallyModernAuth:CloudProviders:crm";

    [Fact]
    public void Validate_ClientCredentialsWithMyDomain_Passes()
    {
        Assert.Null(SalesforceTestHost.ValidateConfiguration(Json("""
            "Type": "ConnectedApp", "LoginUrl": "https://contoso.my.salesforce.com", "ConsumerKey": "3MVG9key", "ConsumerSecret": "s"
            """)));
    }

    [Theory]
    [InlineData("ExternalClientApp", "https://contoso--uat.sandbox.my.salesforce.com")]
    [InlineData("External Client App", "https://contoso.scratch.my.salesforce.com")]
    [InlineData("connected-app", "https://agency.my.salesforce.mil")]
    public void Validate_AppTypeAliasesAndMyDomainPartitions_Pass(string type, string loginUrl)
    {
        Assert.Null(SalesforceTestHost.ValidateConfiguration(Json($"""
            "Type": "{type}", "LoginUrl": "{loginUrl}", "ConsumerKey": "3MVG9key", "ConsumerSecret": "s"
            """)));
    }

    [Fact]
    public void Validate_ClientCredentialsOnLoginSalesforceCom_RefusedNamingMyDomain()
    {
        var ex = SalesforceTestHost.ValidateConfiguration(Json("""
            "LoginUrl": "https://login.salesforce.com", "ConsumerKey": "3MVG9key", "ConsumerSecret": "s"
            """));

        Assert.Equal(
            $"{Path}:LoginUrl: 'login.salesforce.com' does not serve client credentials (Salesforce answers 'request not supported on this domain'); use the org's My Domain URL, https://<domain>.my.salesforce.com (Setup → My Domain)",
            Assert.Single(ex!.Failures));
    }

    [Fact]
    public void Validate_ClientCredentialsWithoutLoginUrl_RefusedAskingForMyDomain()
    {
        var ex = SalesforceTestHost.ValidateConfiguration(Json("""
            "ConsumerKey": "3MVG9key", "ConsumerSecret": "s"
            """));

        Assert.StartsWith($"{Path}:LoginUrl: missing; set the org's My Domain URL", Assert.Single(ex!.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UsernamePasswordWithoutOptIn_RefusedWithReasonAndMigration()
    {
        var ex = SalesforceTestHost.ValidateConfiguration(Json("""
            "Flow": "UsernamePassword", "LoginUrl": "https://login.salesforce.com", "ConsumerKey": "3MVG9key", "ConsumerSecret": "s",
            "Username": "api@contoso.com", "Password": "pw", "SecurityToken": "tok"
            """));

        var failure = Assert.Single(ex!.Failures);
        Assert.StartsWith($"{Path}:Flow: UsernamePassword (password plus security token) is refused unless AllowUsernamePasswordFlow is true", failure, StringComparison.Ordinal);
        Assert.Contains("Summer '23", failure, StringComparison.Ordinal);
        Assert.Contains("ClientCredentials", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", failure.Replace("password", string.Empty, StringComparison.OrdinalIgnoreCase), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UsernamePasswordOnAnExternalClientApp_Refused()
    {
        var ex = SalesforceTestHost.ValidateConfiguration(Json("""
            "Type": "ExternalClientApp", "Flow": "UsernamePassword", "AllowUsernamePasswordFlow": true, "LoginUrl": "https://login.salesforce.com",
            "ConsumerKey": "3MVG9key", "ConsumerSecret": "s", "Username": "api@contoso.com", "Password": "pw"
            """));

        Assert.Equal($"{Path}:Flow: External Client Apps have no username-password flow; use ClientCredentials (a Run As user) or JwtBearer", Assert.Single(ex!.Failures));
    }

    [Fact]
    public void Validate_JwtBearerWithoutCertificate_RefusedNamingTheCertificate()
    {
        var ex = SalesforceTestHost.ValidateConfiguration(Json("""
            "Flow": "JwtBearer", "LoginUrl": "https://login.salesforce.com", "ConsumerKey": "3MVG9key", "Username": "integration@contoso.com"
            """));

        Assert.Equal(
            $"{Path}:Certificate: missing; the JwtBearer flow needs it (the PFX whose certificate is uploaded to the app under Use digital signatures)",
            Assert.Single(ex!.Failures));
    }

    [Fact]
    public void Validate_AnotherFlowsFieldsAndMissingKey_EachRefused()
    {
        var ex = SalesforceTestHost.ValidateConfiguration(Json("""
            "LoginUrl": "https://contoso.my.salesforce.com", "ConsumerSecret": "s", "Password": "pw", "Certificate": { "Path": "x.pfx" }
            """));

        Assert.Contains($"{Path}:ConsumerKey: missing; copy it from the app's Manage Consumer Details (Setup → App Manager → the app → View; External Client Apps: External Client App Manager → the app → Settings → OAuth Settings)", ex!.Failures);
        Assert.Contains($"{Path}:Password: set, but the ClientCredentials flow does not use it; remove it, or choose the Flow it belongs to", ex.Failures);
        Assert.Contains($"{Path}:Certificate: set, but the ClientCredentials flow does not use it; remove it, or choose the Flow it belongs to", ex.Failures);
    }

    [Theory]
    [InlineData("http://contoso.my.salesforce.com", "does not use https")]
    [InlineData("https://contoso.lightning.force.com", "is the Lightning UI host, not the login host; use the My Domain URL, https://contoso.my.salesforce.com")]
    [InlineData("https://login.salesforce.evil.example", "is not a Salesforce host, and the consumer secret would be sent to it")]
    [InlineData("https://contoso.my.salesforce.com/services/oauth2/token", "give the scheme and host only, no path")]
    public void Validate_LoginUrlMistakes_Refused(string loginUrl, string expected)
    {
        var ex = SalesforceTestHost.ValidateConfiguration(Json($"""
            "LoginUrl": "{loginUrl}", "ConsumerKey": "3MVG9key", "ConsumerSecret": "s"
            """));

        var failure = Assert.Single(ex!.Failures);
        Assert.StartsWith($"{Path}:LoginUrl: ", failure, StringComparison.Ordinal);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadValues_EachRefusedWithItsPath()
    {
        var ex = SalesforceTestHost.ValidateConfiguration(Json("""
            "Flow": "Sideways", "SessionTimeout": "soon", "ApiVersion": "latest", "AllowNonSalesforceHost": "yes",
            "LoginUrl": "https://contoso.my.salesforce.com", "ConsumerKey": "3MVG9key", "ConsumerSecret": "s"
            """));

        Assert.Contains($"{Path}:Flow: 'Sideways' is not a Salesforce flow; use ClientCredentials, JwtBearer or UsernamePassword", ex!.Failures);
        Assert.Contains($"{Path}:SessionTimeout: 'soon' is not a duration; use hh:mm:ss, e.g. 02:00:00 for two hours", ex.Failures);
        Assert.Contains($"{Path}:AllowNonSalesforceHost: 'yes' is not a boolean; use true or false", ex.Failures);
        Assert.Contains($"{Path}:ApiVersion: 'latest' is not a REST API version such as 62.0", ex.Failures);
    }

    [Fact]
    public void Validate_Office365MistakesBesideSalesforceOnes_AllReported()
    {
        var ex = SalesforceTestHost.ValidateConfiguration("""
            { "XCallyModernAuth": { "CloudProviders": {
                "contoso": { "TenantId": "common", "ClientId": "abc", "ClientSecret": "x" },
                "crm": { "Service": "Salesforce", "LoginUrl": "https://login.salesforce.com", "ConsumerKey": "k", "ConsumerSecret": "s" }
            } } }
            """);

        Assert.Contains(ex!.Failures, f => f.StartsWith("XCallyModernAuth:CloudProviders:contoso:TenantId:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("XCallyModernAuth:CloudProviders:contoso:ClientId:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith($"{Path}:LoginUrl: 'login.salesforce.com' does not serve client credentials", StringComparison.Ordinal));
        Assert.DoesNotContain(ex.Failures, f => f.StartsWith($"{Path}:TenantId", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_CodeCompletesConfiguration_Passes()
    {
        Assert.Null(SalesforceTestHost.ValidateConfiguration(
            Json(""" "LoginUrl": "https://contoso.my.salesforce.com", "ConsumerKey": "3MVG9key" """),
            builder => builder.AddSalesforceProvider("crm", o => o.ConsumerSecret = "from-a-vault")));
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsListingEveryProblemWithoutTheSecret()
    {
        var ex = Assert.Throws<ModernAuthException>(() => SalesforceProvider.Create("crm", new SalesforceProviderOptions { ConsumerSecret = "TopSecret-123" }));

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("CloudProviders:crm:LoginUrl: missing", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CloudProviders:crm:ConsumerKey: missing", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TopSecret-123", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverShowsTheSecretOrPassword()
    {
        var provider = SalesforceProvider.Create("crm", new SalesforceProviderOptions
        {
            Flow = SalesforceFlow.UsernamePassword,
            AllowUsernamePasswordFlow = true,
            LoginUrl = "https://test.salesforce.com",
            ConsumerKey = "3MVG9key",
            ConsumerSecret = "TopSecret-123",
            Username = "api@contoso.com",
            Password = "Pa55word-xyz",
            SecurityToken = "TokTok987",
        });

        var text = provider.ToString();

        Assert.Equal("SalesforceProvider crm (ConnectedApp, UsernamePassword, https://test.salesforce.com, consumer key 3MVG9key, user api@contoso.com, consumer secret, password and security token)", text);
    }

    private static string Json(string settings) => $$"""
        { "XCallyModernAuth": { "CloudProviders": { "crm": { "Service": "Salesforce", {{settings}} } } } }
        """;
}
