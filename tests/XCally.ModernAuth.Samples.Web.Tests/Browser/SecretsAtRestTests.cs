using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

namespace XCally.ModernAuth.Samples.Web.Tests.Browser;

/// <summary>
/// What an administrator enters as a secret (a client secret, a PFX and its password, a Consumer Secret, an API user's password
/// and security token, the administrator's own password) is found nowhere in clear: not in the SQLite file (with its write-ahead
/// log), not in any page, not in any log line the console wrote at Debug level.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SecretsAtRestTests
{
    private const string AdminPassword = "an administrator's long password";

    [Fact]
    public async Task ProviderSecrets_Saved_NeitherInTheDatabaseFileNorInPagesNorInLogs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ConsoleHost.StartAsync(new Dictionary<string, string?> { ["Admin:Password"] = AdminPassword }, ct);
        using var client = new AdminClient(host.CreateClient());
        await client.SignInAsync(AdminPassword);

        var clientSecret = "Xq8~" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(27));
        var pfxPassword = "pfx-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var consumerSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var apiPassword = "api-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10));
        var securityToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var pfx = CreatePfx(pfxPassword);
        var pfxBase64 = Convert.ToBase64String(pfx);

        using (var saved = await client.PostMultipartAsync("/providers/edit", Azure("with-secret", new() { ["Form.CredentialKind"] = "ClientSecret", ["Form.ClientSecret"] = clientSecret, ["Form.SecretExpiresOn"] = "2030-06-30" })))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        using (var saved = await client.PostMultipartAsync("/providers/edit", Azure("with-certificate", new() { ["Form.CredentialKind"] = "Certificate", ["Form.CertificatePassword"] = pfxPassword }), ("Form.CertificateFile", "app.pfx", pfx)))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        using (var saved = await client.PostMultipartAsync("/providers/salesforce", new Dictionary<string, string>
        {
            ["Form.Name"] = "salesforce-legacy",
            ["Form.AppType"] = "0",
            ["Form.Flow"] = "2",
            ["Form.LoginUrl"] = "https://login.salesforce.com",
            ["Form.ConsumerKey"] = "3MVG9" + Convert.ToHexString(RandomNumberGenerator.GetBytes(20)),
            ["Form.ConsumerSecret"] = consumerSecret,
            ["Form.Username"] = "integration@contoso.com",
            ["Form.Password"] = apiPassword,
            ["Form.SecurityToken"] = securityToken,
            ["Form.AllowUsernamePasswordFlow"] = "true",
            ["Form.SessionTimeoutMinutes"] = "120",
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        string[] secrets = [clientSecret, pfxPassword, consumerSecret, apiPassword, securityToken, pfxBase64[..40], AdminPassword, host.Demo.Office365.ClientSecret.Value, host.Demo.Salesforce.Org.ConsumerSecret];

        // The rows hold Data Protection payloads where the secrets were entered.
        await using (var db = await host.OpenDatabaseAsync())
        {
            var rows = await db.CloudProviders.AsNoTracking().Where(p => !p.IsDemo).ToDictionaryAsync(p => p.Name, ct);
            Assert.StartsWith("CfDJ8", rows["with-secret"].ProtectedSecret, StringComparison.Ordinal);
            Assert.StartsWith("CfDJ8", rows["with-certificate"].ProtectedCertificate, StringComparison.Ordinal);
            Assert.StartsWith("CfDJ8", rows["with-certificate"].ProtectedCertificatePassword, StringComparison.Ordinal);
            Assert.StartsWith("CfDJ8", rows["salesforce-legacy"].ProtectedSecret, StringComparison.Ordinal);
            Assert.StartsWith("CfDJ8", rows["salesforce-legacy"].ProtectedPassword, StringComparison.Ordinal);
            Assert.StartsWith("CfDJ8", rows["salesforce-legacy"].ProtectedSecurityToken, StringComparison.Ordinal);
            Assert.NotNull(rows["with-certificate"].CertificateThumbprint);
        }

        // The SDK can use them (decrypted for it only): the stores build the providers.
        Assert.NotNull(await host.App.Services.GetRequiredService<ICloudProviderStore>().FindAsync("with-secret", ct));
        Assert.IsType<CertificateCredential>((await host.App.Services.GetRequiredService<ICloudProviderStore>().FindAsync("with-certificate", ct))!.Credential);

        var pages = new List<string>();
        foreach (var page in new[] { "/", "/providers", "/accounts", "/status" })
        {
            pages.Add(await client.Http.GetStringAsync(page, ct));
        }

        await using (var db = await host.OpenDatabaseAsync())
        {
            foreach (var provider in await db.CloudProviders.AsNoTracking().ToListAsync(ct))
            {
                var html = await client.Http.GetStringAsync(XCally.ModernAuth.Samples.Web.Features.Providers.ProviderLinks.EditUrl(provider.Id, provider.Service), ct);
                pages.Add(html);
                if (provider.Name == "with-secret")
                {
                    Assert.Contains("set on", html, StringComparison.Ordinal);
                    Assert.Contains("expires on 2030-06-30", html, StringComparison.Ordinal);
                }
            }
        }

        SqliteConnectionPools.Clear();
        var databaseText = string.Join('\n', host.DatabaseFiles.Select(file => Encoding.UTF8.GetString(ReadShared(file))));
        var logText = host.AllLogText();
        Assert.NotEmpty(databaseText);
        Assert.NotEmpty(host.Logs.GetSnapshot());
        Assert.Contains("with-certificate", databaseText, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, databaseText, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logText, StringComparison.Ordinal);
            Assert.All(pages, html => Assert.DoesNotContain(secret, html, StringComparison.Ordinal));
        }

        Assert.DoesNotContain("eyJ", logText, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Azure(string name, Dictionary<string, string> credential)
    {
        var fields = new Dictionary<string, string>
        {
            ["Form.Name"] = name,
            ["Form.TenantId"] = Guid.NewGuid().ToString(),
            ["Form.ClientId"] = Guid.NewGuid().ToString(),
            ["Form.Cloud"] = "0",
            ["Form.Flow"] = "0",
        };
        foreach (var (key, value) in credential)
        {
            fields[key] = value;
        }

        return fields;
    }

    private static byte[] CreatePfx(string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=XCally mail channel", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.Export(X509ContentType.Pfx, password);
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}

internal static class SqliteConnectionPools
{
    public static void Clear() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
}
