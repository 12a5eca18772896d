using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.Configuration;

/// <summary>Credentials without a secret and a certificate instance: binding, validation and the model they become.</summary>
public class SecretlessCredentialOptionsTests
{
    private const string Provider = "XCallyModernAuth:CloudProviders:contoso";
    private const string IdentityClientId = "5b0c7e2d-9a41-4f3e-8d6c-2e1f0a9b8c7d";
    private const string ResourceId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mail/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mail-channel";

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static ModernAuthOptions Bind(Dictionary<string, string?> values)
    {
        var options = new ModernAuthOptions();
        ModernAuthOptionsBinder.Bind(TestConfiguration.FromValues(values).GetSection(ModernAuthOptions.SectionName), options);
        return options;
    }

    private static Dictionary<string, string?> Values(params (string Key, string? Value)[] provider)
    {
        var values = TestConfiguration.ValidValues(TestConfiguration.NewSecret());
        values.Remove(Provider + ":ClientSecret");
        foreach (var (key, value) in provider)
        {
            values[$"{Provider}:{key}"] = value;
        }

        return values;
    }

    private static IReadOnlyList<string> Problems(ModernAuthOptions options)
    {
        var result = new ModernAuthOptionsValidator(new FakeTimeProvider(Now)).Validate(null, options);
        return result.Failed ? result.Failures!.ToList() : [];
    }

    private static CloudProviderOptions Secretless(Action<CloudProviderOptions> set)
    {
        var options = TestConfiguration.ValidProvider();
        options.ClientSecret = null;
        set(options);
        return options;
    }

    [Fact]
    public void Bind_ManagedIdentitySystemAssigned_ProviderWithSystemAssignedIdentity()
    {
        var options = Bind(Values(("ManagedIdentity", "SystemAssigned")));

        Assert.Empty(Problems(options));
        var provider = CloudProvider.Create("contoso", options.CloudProviders["contoso"]);
        var credential = Assert.IsType<ManagedIdentityCredential>(provider.Credential);
        Assert.True(credential.Identity.IsSystemAssigned);
        Assert.Equal("managed identity (system-assigned)", credential.Description);
    }

    [Fact]
    public void Bind_ManagedIdentityClientIdWithoutProviderClientId_ClientIdIsTheIdentitys()
    {
        var values = Values(("ManagedIdentity:ClientId", IdentityClientId));
        values.Remove(Provider + ":ClientId");
        var options = Bind(values);

        Assert.Empty(Problems(options));
        var provider = CloudProvider.Create("contoso", options.CloudProviders["contoso"]);
        Assert.Equal(IdentityClientId, provider.ClientId);
        Assert.Equal(ManagedIdentity.UserAssignedByClientId(IdentityClientId), ((ManagedIdentityCredential)provider.Credential).Identity);
    }

    [Fact]
    public void Bind_FederatedManagedIdentityByResourceIdInChina_AudienceOfTheCloud()
    {
        var options = Bind(Values(("FederatedManagedIdentity:ResourceId", ResourceId), ("Cloud", "China")));

        Assert.Empty(Problems(options));
        var credential = Assert.IsType<FederatedManagedIdentityCredential>(CloudProvider.Create("contoso", options.CloudProviders["contoso"]).Credential);
        Assert.Equal(ResourceId, credential.Identity.ResourceId);
        Assert.Equal("api://AzureADTokenExchangeChina", credential.Audience);
        Assert.Equal($"federated credential (managed identity user-assigned, resource id {ResourceId}, audience api://AzureADTokenExchangeChina)", credential.Description);
    }

    [Fact]
    public void Bind_ManagedIdentityUnknownWord_BindingErrorNamesTheChoices()
    {
        var problems = Problems(Bind(Values(("ManagedIdentity", "yes"))));

        Assert.Contains($"{Provider}:ManagedIdentity: 'yes' is not a managed identity; use SystemAssigned, or an object with the ClientId or ResourceId of a user-assigned identity", problems);
    }

    [Fact]
    public void Validate_TwoCredentials_ExactlyOne()
    {
        var options = TestConfiguration.ValidOptions();
        options.CloudProviders["contoso"].ManagedIdentity = new ManagedIdentityOptions();

        var problem = Assert.Single(Problems(options));

        Assert.Equal($"{Provider}: ClientSecret and ManagedIdentity are all set; set exactly one credential", problem);
    }

    [Fact]
    public void Validate_NoCredential_NamesEveryKind()
    {
        var options = TestConfiguration.ValidOptions();
        options.CloudProviders["contoso"].ClientSecret = null;

        var problem = Assert.Single(Problems(options));

        Assert.Contains("ManagedIdentity, FederatedManagedIdentity or FederatedTokenFile", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ManagedIdentityDelegated_RefusedWithTheAlternatives()
    {
        var options = TestConfiguration.ValidOptions();
        options.CloudProviders["contoso"] = Secretless(o =>
        {
            o.ManagedIdentity = new ManagedIdentityOptions();
            o.Flow = AuthFlow.Delegated;
            o.RedirectUri = "https://localhost/signin";
        });

        var problem = Assert.Single(Problems(options));

        Assert.StartsWith($"{Provider}:Flow: a managed identity gets app-only tokens only", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-guid", null, "ManagedIdentity:ClientId: 'not-a-guid' is not a GUID")]
    [InlineData(null, "/resourceGroups/x", "ManagedIdentity:ResourceId: '/resourceGroups/x' is not the resource id of a user-assigned managed identity")]
    [InlineData(IdentityClientId, ResourceId, "ManagedIdentity: ClientId and ResourceId are both set")]
    public void Validate_BadManagedIdentity_NamesTheSetting(string? clientId, string? resourceId, string expected)
    {
        var options = TestConfiguration.ValidOptions();
        options.CloudProviders["contoso"] = Secretless(o => o.ManagedIdentity = new ManagedIdentityOptions { ClientId = clientId, ResourceId = resourceId });

        Assert.Contains(Problems(options), p => p.StartsWith($"{Provider}:{expected}", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ManagedIdentityClientIdDiffersFromProviderClientId_Refused()
    {
        var options = TestConfiguration.ValidOptions();
        options.CloudProviders["contoso"] = Secretless(o => o.ManagedIdentity = new ManagedIdentityOptions { ClientId = IdentityClientId });

        var problem = Assert.Single(Problems(options));

        Assert.StartsWith($"{Provider}:ClientId: '{TestConfiguration.ClientId}' differs from ManagedIdentity:ClientId", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SystemAssignedManagedIdentityWithoutClientId_AsksForTheIdentitysApplicationId()
    {
        var options = TestConfiguration.ValidOptions();
        options.CloudProviders["contoso"] = Secretless(o =>
        {
            o.ClientId = null;
            o.ManagedIdentity = new ManagedIdentityOptions();
        });

        var problem = Assert.Single(Problems(options));

        Assert.StartsWith($"{Provider}:ClientId: missing; with a managed identity set the identity's Application ID", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FederatedTokenFileMissing_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"xcally-no-such-token-{Guid.NewGuid():N}");
        var options = TestConfiguration.ValidOptions();
        options.CloudProviders["contoso"] = Secretless(o => o.FederatedTokenFile = path);

        var problem = Assert.Single(Problems(options));

        Assert.Equal($"{Provider}:FederatedTokenFile: the token file '{path}' does not exist; check the path (the platform writes it: Kubernetes workload identity mounts it at /var/run/secrets/azure/tokens/azure-identity-token)", problem);
    }

    [Fact]
    public void Validate_FederatedTokenFileNamesAnUnsetVariable_SaysHowWorkloadIdentitySetsIt()
    {
        var variable = $"XCALLY_TEST_UNSET_{Guid.NewGuid():N}";
        var options = TestConfiguration.ValidOptions();
        options.CloudProviders["contoso"] = Secretless(o => o.FederatedTokenFile = $"%{variable}%");

        var problem = Assert.Single(Problems(options));

        Assert.Equal($"{Provider}:FederatedTokenFile: '%{variable}%' names the environment variable {variable}, which is not set; set it or write the path itself", problem);
    }

    [Fact]
    public void Create_FederatedTokenFile_DescriptionNamesThePathOnly()
    {
        var path = Path.GetTempFileName();
        var other = Path.GetTempFileName();
        try
        {
            var provider = CloudProvider.Create("contoso", Secretless(o => o.FederatedTokenFile = path));

            Assert.Equal($"federated credential (token file {path})", provider.Credential.Description);
            Assert.Equal(provider, CloudProvider.Create("contoso", Secretless(o => o.FederatedTokenFile = path)));
            Assert.NotEqual(provider, CloudProvider.Create("contoso", Secretless(o => o.FederatedTokenFile = other)));
        }
        finally
        {
            File.Delete(path);
            File.Delete(other);
        }
    }

    [Fact]
    public void Equals_ManagedIdentityCredentials_ByIdentityAndAudience()
    {
        CloudProvider Create(Action<CloudProviderOptions> set) => CloudProvider.Create("contoso", Secretless(set));

        var system = Create(o => o.ManagedIdentity = new ManagedIdentityOptions());
        var user = Create(o => { o.ClientId = null; o.ManagedIdentity = new ManagedIdentityOptions { ClientId = IdentityClientId }; });
        var federated = Create(o => o.FederatedManagedIdentity = new ManagedIdentityOptions());
        var federatedUsGov = Create(o => { o.FederatedManagedIdentity = new ManagedIdentityOptions(); o.Cloud = CloudEnvironment.UsGovernment; });

        Assert.Equal(system, Create(o => o.ManagedIdentity = new ManagedIdentityOptions()));
        Assert.Equal(user, Create(o => { o.ClientId = null; o.ManagedIdentity = new ManagedIdentityOptions { ClientId = IdentityClientId }; }));
        Assert.NotEqual(system, user);
        Assert.NotEqual(system, federated);
        Assert.NotEqual(federated, federatedUsGov);
        Assert.Equal("api://AzureADTokenExchangeUSGov", ((FederatedManagedIdentityCredential)federatedUsGov.Credential).Audience);
    }

    [Fact]
    public void Create_CertificateInstance_UsedAsIsAndNeverDisposed()
    {
        using var certificate = TestCertificates.Create();
        var options = Secretless(o => o.Certificate = new CertificateOptions { Certificate = certificate });

        var provider = CloudProvider.Create("contoso", options);
        Assert.Empty(Problems(WithProvider(options)));

        var credential = Assert.IsType<CertificateCredential>(provider.Credential);
        Assert.Same(certificate, credential.Certificate);
        Assert.True(credential.OwnedByHost);
        Assert.NotEqual(IntPtr.Zero, certificate.Handle);
        Assert.True(certificate.HasPrivateKey);
    }

    [Fact]
    public void Validate_ExpiredCertificateInstance_RefusedAndLeftToTheHost()
    {
        using var certificate = TestCertificates.Create(Now.AddDays(-1));
        var options = Secretless(o => o.Certificate = new CertificateOptions { Certificate = certificate });

        var problem = Assert.Single(Problems(WithProvider(options)));

        Assert.StartsWith($"{Provider}:Certificate: the certificate {certificate.Thumbprint} expired on", problem, StringComparison.Ordinal);
        Assert.NotEqual(IntPtr.Zero, certificate.Handle);
    }

    [Fact]
    public void Validate_CertificateInstanceAndPath_ExactlyOneSource()
    {
        using var certificate = TestCertificates.Create();
        var options = Secretless(o => o.Certificate = new CertificateOptions { Certificate = certificate, Path = "cert.pfx" });

        var problem = Assert.Single(Problems(WithProvider(options)));

        Assert.Equal($"{Provider}:Certificate: Path and Certificate are all set; set exactly one of Path, Base64, Thumbprint or Certificate", problem);
    }

    private static ModernAuthOptions WithProvider(CloudProviderOptions provider)
    {
        var options = TestConfiguration.ValidOptions();
        options.CloudProviders["contoso"] = provider;
        return options;
    }
}
