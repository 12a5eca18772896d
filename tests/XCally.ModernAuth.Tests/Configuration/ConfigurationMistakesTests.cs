using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.Configuration;

/// <summary>
/// A newcomer's common mistakes, bound from configuration the way a host binds it and validated as at start: each is refused
/// with its path and its fix, nothing is silently merged or dropped, and each problem is logged as its own line.
/// </summary>
public class ConfigurationMistakesTests
{
    private const string Provider = "XCallyModernAuth:CloudProviders:contoso";

    [Theory]
    [InlineData("http://example.com/cb", "must use https")]
    [InlineData("ftp://example.com/cb", "must use https")]
    public void Start_RedirectUriNotHttps_Refused(string redirectUri, string words)
    {
        var problems = Start(Delegated(redirectUri));

        var problem = Assert.Single(problems);
        Assert.StartsWith(Provider + ":RedirectUri: ", problem, StringComparison.Ordinal);
        Assert.Contains(words, problem, StringComparison.Ordinal);
        Assert.Contains("localhost", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5000/signin-oidc")]
    [InlineData("http://127.0.0.1/callback")]
    [InlineData("https://app.contoso.com/signin-oidc")]
    public void Start_RedirectUriHttpsOrLoopback_Accepted(string redirectUri)
    {
        Assert.Empty(Start(Delegated(redirectUri)));
    }

    [Theory]
    [InlineData("sales@contoso.com")]
    [InlineData("Sales@Contoso.com")]
    public void Start_DuplicateAccountAddress_RefusedNamingBothPaths(string second)
    {
        var values = TestConfiguration.ValidValues(TestConfiguration.NewSecret());
        values["XCallyModernAuth:EmailAccounts:1:Address"] = second;

        // The earlier entry names a provider that does not exist: it must be reported, not dropped by the later one.
        values["XCallyModernAuth:EmailAccounts:0:CloudProvider"] = "missing";
        values["XCallyModernAuth:EmailAccounts:1:CloudProvider"] = "contoso";

        var problems = Start(values);

        Assert.Contains(problems, p => p.StartsWith("XCallyModernAuth:EmailAccounts:1:Address: ", StringComparison.Ordinal)
            && p.Contains("XCallyModernAuth:EmailAccounts:0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("XCallyModernAuth:EmailAccounts:0:CloudProvider: 'missing'", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_BlankProviderName_Refused()
    {
        var options = new ModernAuthOptions();
        options.CloudProviders[" "] = TestConfiguration.ValidProvider();
        options.EmailAccounts.Add(new EmailAccountOptions { Address = "sales@contoso.com", CloudProvider = " " });

        var problems = new XCally.ModernAuth.Internal.ModernAuthOptionsValidator(TimeProvider.System).Validate(null, options).Failures!;

        Assert.Contains(problems, p => p.Contains("a cloud provider has an empty name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("XCallyModernAuth:EmailAccounts:0:CloudProvider: missing", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("imaps://outlook.office365.com", "is a URL", "outlook.office365.com")]
    [InlineData("outlook.office365.com:993", "holds a port", "993 in Port")]
    [InlineData("outlook office365 com", "is not a host name", "outlook.office365.com")]
    public void Start_HostNotAHostName_Refused(string host, string what, string fix)
    {
        var values = TestConfiguration.ValidValues(TestConfiguration.NewSecret());
        values["XCallyModernAuth:EmailAccounts:0:Imap:Host"] = host;

        var problem = Assert.Single(Start(values));

        Assert.StartsWith("XCallyModernAuth:EmailAccounts:0:Imap:Host: ", problem, StringComparison.Ordinal);
        Assert.Contains(what, problem, StringComparison.Ordinal);
        Assert.Contains(fix, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("organizations")]
    [InlineData("common")]
    public void Start_MultiTenantAliasForDelegated_RefusedAsTheSignInWouldBe(string tenant)
    {
        var values = Delegated("https://app.contoso.com/signin-oidc");
        values[Provider + ":TenantId"] = tenant;

        var problem = Assert.Single(Start(values));

        Assert.StartsWith(Provider + ":TenantId: ", problem, StringComparison.Ordinal);
        Assert.Contains("Directory (tenant) ID", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_EmptyUserNameInConfiguration_MeansUnsetAndLogsInWithTheAddress()
    {
        var values = TestConfiguration.ValidValues(TestConfiguration.NewSecret());
        values["XCallyModernAuth:EmailAccounts:0:UserName"] = " ";

        Assert.Empty(Start(values));
        using var services = Services(TestConfiguration.FromValues(values));
        var account = await services.GetRequiredService<IEmailAccountStore>().FindAsync("sales@contoso.com", TestContext.Current.CancellationToken);
        Assert.Equal("sales@contoso.com", account!.UserName);
    }

    [Fact]
    public void Start_MisspelledSection_WarnsNamingTheSection()
    {
        var configuration = TestConfiguration.FromValues(new Dictionary<string, string?>
        {
            ["XCallyModernAuht:CloudProviders:contoso:TenantId"] = TestConfiguration.TenantId,
        });
        using var services = Services(configuration);

        _ = services.GetRequiredService<IOptions<ModernAuthOptions>>().Value;

        var warning = Assert.Single(services.GetFakeLogCollector().GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("'XCallyModernAuth' is missing or empty", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_EmptySectionPassed_WarnsNamingTheSection()
    {
        var configuration = TestConfiguration.FromValues(new Dictionary<string, string?> { ["Other:Key"] = "x" });
        using var services = Services(configuration.GetSection("XCallyModernAuth"));

        _ = services.GetRequiredService<IOptions<ModernAuthOptions>>().Value;

        Assert.Single(services.GetFakeLogCollector().GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("'XCallyModernAuth' is missing or empty", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_SeveralProblems_EachLoggedOnItsOwnLine()
    {
        var values = TestConfiguration.ValidValues(TestConfiguration.NewSecret());
        values[Provider + ":ClientId"] = "abc";
        values["XCallyModernAuth:EmailAccounts:0:Imap:Host"] = "imaps://outlook.office365.com";
        using var services = Services(TestConfiguration.FromValues(values));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ModernAuthOptions>>().Value);

        Assert.Equal(2, error.Failures.Count());
        var lines = services.GetFakeLogCollector().GetSnapshot().Where(r => r.Level == LogLevel.Error).Select(r => r.Message).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.DoesNotContain("; XCallyModernAuth:", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Start_RelativeCertificatePath_ResolvedAgainstTheHostsContentRoot()
    {
        var contentRoot = Directory.CreateTempSubdirectory("content-root.").FullName;
        try
        {
            var values = TestConfiguration.ValidValues(TestConfiguration.NewSecret());
            values.Remove(Provider + ":ClientSecret");
            values[Provider + ":Certificate:Path"] = "certs/app.pfx";
            values["contentRoot"] = contentRoot;

            var problem = Assert.Single(Start(values));

            Assert.StartsWith(Provider + ":Certificate:Path: the file '" + Path.Combine(contentRoot, "certs", "app.pfx") + "' does not exist", problem, StringComparison.Ordinal);
            Assert.Contains("the host's content root", problem, StringComparison.Ordinal);

            Directory.CreateDirectory(Path.Combine(contentRoot, "certs"));
            File.WriteAllBytes(Path.Combine(contentRoot, "certs", "app.pfx"), TestCertificates.Pfx("pw"));
            values[Provider + ":Certificate:Password"] = "pw";
            Assert.Empty(Start(values));
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    private static Dictionary<string, string?> Delegated(string redirectUri)
    {
        var values = TestConfiguration.ValidValues(TestConfiguration.NewSecret());
        values[Provider + ":Flow"] = "Delegated";
        values[Provider + ":RedirectUri"] = redirectUri;
        return values;
    }

    private static List<string> Start(Dictionary<string, string?> values)
    {
        using var services = Services(TestConfiguration.FromValues(values));
        try
        {
            _ = services.GetRequiredService<IOptions<ModernAuthOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
    }

    private static ServiceProvider Services(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddFakeLogging());
        services.AddXCallyModernAuth(configuration);
        return services.BuildServiceProvider();
    }
}
