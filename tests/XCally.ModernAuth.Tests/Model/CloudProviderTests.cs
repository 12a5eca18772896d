using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.Model;

public class CloudProviderTests
{
    [Fact]
    public void Create_ValidSecretOptions_DefaultsFromCloudAndFlow()
    {
        var provider = CloudProvider.Create("contoso", TestConfiguration.ValidProvider());

        Assert.Equal(("contoso", TestConfiguration.TenantId, TestConfiguration.ClientId), (provider.Name, provider.TenantId, provider.ClientId));
        Assert.IsType<ClientSecretCredential>(provider.Credential);
        Assert.Equal(new Uri("https://login.microsoftonline.com/" + TestConfiguration.TenantId), provider.Authority);
        Assert.Equal(["https://outlook.office365.com/.default"], provider.Scopes);
        Assert.Null(provider.RedirectUri);
    }

    [Fact]
    public void Create_AuthorityHostWithPath_KeepsThePathBeforeTheTenant()
    {
        var options = TestConfiguration.ValidProvider();
        options.AuthorityHost = "https://127.0.0.1:5001/emulator";
        options.AllowNonMicrosoftAuthority = true;

        var provider = CloudProvider.Create("contoso", options);

        Assert.Equal(new Uri("https://127.0.0.1:5001/emulator/" + TestConfiguration.TenantId), provider.Authority);
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsListingEveryProblem()
    {
        var ex = Assert.Throws<ModernAuthException>(() =>
            CloudProvider.Create("contoso", new CloudProviderOptions { TenantId = "common", ClientId = "abc" }));

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Equal("contoso", ex.CloudProviderName);
        Assert.Contains("CloudProviders:contoso:TenantId: 'common' cannot be used with the app-only flow", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CloudProviders:contoso:ClientId: 'abc' is not a GUID", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CloudProviders:contoso: no credential", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CertificateFromPfxFileAndBase64_SameCertificate()
    {
        var pfx = TestCertificates.Pfx("pa55");
        var file = TestCertificates.WriteTempFile(pfx);
        try
        {
            var fromFile = CloudProvider.Create("a", new CloudProviderOptions
            {
                TenantId = TestConfiguration.TenantId,
                ClientId = TestConfiguration.ClientId,
                Certificate = new CertificateOptions { Path = file, Password = "pa55", SendX5C = true },
            });
            var fromBase64 = CloudProvider.Create("b", new CloudProviderOptions
            {
                TenantId = TestConfiguration.TenantId,
                ClientId = TestConfiguration.ClientId,
                Certificate = new CertificateOptions { Base64 = Convert.ToBase64String(pfx), Password = "pa55" },
            });

            var fileCredential = Assert.IsType<CertificateCredential>(fromFile.Credential);
            var base64Credential = Assert.IsType<CertificateCredential>(fromBase64.Credential);
            Assert.True(fileCredential.SendX5C);
            Assert.True(fileCredential.Certificate.HasPrivateKey);
            Assert.Equal(fileCredential.Certificate.Thumbprint, base64Credential.Certificate.Thumbprint);
            Assert.Contains(fileCredential.Certificate.Thumbprint, fromFile.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Create_ClientAssertion_KeepsTheCallback()
    {
        Func<ClientAssertionRequest, CancellationToken, Task<string>> callback = (_, _) => Task.FromResult("signed");
        var options = TestConfiguration.ValidProvider();
        options.ClientSecret = null;
        options.ClientAssertion = callback;

        var credential = Assert.IsType<ClientAssertionCredential>(CloudProvider.Create("contoso", options).Credential);

        Assert.Same(callback, credential.GetAssertion);
    }

    [Fact]
    public void ToString_ProviderAndCredential_NeverContainTheSecret()
    {
        var secret = TestConfiguration.NewSecret();

        var provider = CloudProvider.Create("contoso", TestConfiguration.ValidProvider(secret));

        Assert.DoesNotContain(secret, provider.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, provider.Credential.ToString(), StringComparison.Ordinal);
        Assert.Contains("client secret", provider.ToString(), StringComparison.Ordinal);
    }
}
