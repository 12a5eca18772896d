using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Samples.Tests.Console;

/// <summary>
/// The example configuration beside the console sample, as a newcomer copies it: it binds, and the only thing it lacks is the
/// secret, which the comments say to set in the environment.
/// </summary>
public class ExampleConfigurationTests
{
    private const string SecretVariable = "XCallyModernAuth:CloudProviders:contoso:ClientSecret";

    [Fact]
    public void Example_AsShipped_OnlyTheCredentialIsMissing()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Validate(secret: null));

        var problem = Assert.Single(exception.Failures);
        Assert.Contains("CloudProviders:contoso", problem, StringComparison.Ordinal);
        Assert.Contains("no credential; set ClientSecret (the secret's Value, not its Secret ID)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Example_SecretFromTheEnvironment_Valid()
    {
        var options = Validate(secret: "example~Secret~Value~0123456789abcdef");

        var provider = Assert.Single(options.CloudProviders);
        Assert.Equal("contoso", provider.Key);
        Assert.Equal("support@contoso.com", Assert.Single(options.EmailAccounts).Address);
    }

    private static ModernAuthOptions Validate(string? secret)
    {
        // The sample's order: the environment first, the file over it.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(secret is null ? [] : [new KeyValuePair<string, string?>(SecretVariable, secret)])
            .AddJsonFile(ExampleFile(), optional: false)
            .Build();
        var services = new ServiceCollection();
        services.AddXCallyModernAuth(configuration.GetSection(ModernAuthOptions.SectionName));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ModernAuthOptions>>().Value;
    }

    private static string ExampleFile()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "samples", "XCally.ModernAuth.Samples.Console", "appsettings.example.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("samples/XCally.ModernAuth.Samples.Console/appsettings.example.json was not found above the test's folder.");
    }
}
