using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>
/// The JWT bearer flow's assertion: RS256, <c>iss</c> the Consumer Key, <c>sub</c> the username, <c>aud</c> the login URL,
/// <c>exp</c> 3 minutes ahead (Salesforce accepts at most 5). Signed with the certificate's private key; never logged.
/// </summary>
internal static class SalesforceJwtAssertion
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(3);

    private static readonly byte[] Header = Encoding.UTF8.GetBytes("""{"alg":"RS256"}""");

    public static string Create(SalesforceProvider provider, DateTimeOffset now)
    {
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = provider.ConsumerKey,
            ["sub"] = provider.Username!,
            ["aud"] = provider.LoginUrl.GetLeftPart(UriPartial.Authority),
            ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
        });
        var signingInput = $"{Base64Url(Header)}.{Base64Url(claims)}";
        using var key = provider.Certificate!.GetRSAPrivateKey()
            ?? throw new ModernAuthException(ModernAuthErrorCategory.InvalidConfiguration, $"The certificate of Salesforce provider '{provider.Name}' has no RSA private key.", "Configure a PFX that holds the RSA private key of the certificate uploaded to the app.") { CloudProviderName = provider.Name };
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
