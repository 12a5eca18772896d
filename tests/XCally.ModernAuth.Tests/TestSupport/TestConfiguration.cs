using System.Text;
using Microsoft.Extensions.Configuration;

namespace XCally.ModernAuth.Tests.TestSupport;

/// <summary>Configuration and options built the way a host builds them, from JSON or in-memory values.</summary>
internal static class TestConfiguration
{
    public const string TenantId = "7f2c1a4e-0b5d-4c8e-9a61-3d2f8b7e5c10";
    public const string ClientId = "c3a9e2f1-6d4b-4a7e-8f05-1b2c3d4e5f60";

    public static IConfigurationRoot FromJson(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    public static IConfigurationRoot FromValues(IDictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    /// <summary>A random secret, so a test can assert it appears nowhere.</summary>
    public static string NewSecret() => "s3cr3t~" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    public static Dictionary<string, string?> ValidValues(string secret) => new()
    {
        ["XCallyModernAuth:CloudProviders:contoso:TenantId"] = TenantId,
        ["XCallyModernAuth:CloudProviders:contoso:ClientId"] = ClientId,
        ["XCallyModernAuth:CloudProviders:contoso:ClientSecret"] = secret,
        ["XCallyModernAuth:EmailAccounts:0:Address"] = "sales@contoso.com",
        ["XCallyModernAuth:EmailAccounts:0:CloudProvider"] = "contoso",
    };

    /// <summary>Valid options built in code: one app-only provider with a secret and one account.</summary>
    public static ModernAuthOptions ValidOptions(string? secret = null)
    {
        var options = new ModernAuthOptions();
        options.CloudProviders["contoso"] = ValidProvider(secret);
        options.EmailAccounts.Add(new EmailAccountOptions { Address = "sales@contoso.com", CloudProvider = "contoso" });
        return options;
    }

    public static CloudProviderOptions ValidProvider(string? secret = null) => new()
    {
        TenantId = TenantId,
        ClientId = ClientId,
        ClientSecret = secret ?? NewSecret(),
    };
}
