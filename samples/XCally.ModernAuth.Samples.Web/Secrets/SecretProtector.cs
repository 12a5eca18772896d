using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace XCally.ModernAuth.Samples.Web.Secrets;

/// <summary>
/// Encrypts the secrets an administrator enters (client secrets, Consumer Secrets, certificate passwords, PFX files) with ASP.NET
/// Core Data Protection before they reach the database, and decrypts them only for the stores that hand them to the SDK. The key
/// ring lives in the data folder (or wherever <c>DataProtection</c> is configured); a database copied without it holds nothing
/// usable.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    public const string Purpose = "XCally.ModernAuth.Samples.Web.ProviderSecrets";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return _protector.Protect(secret);
    }

    /// <summary>Decrypts a stored secret.</summary>
    /// <exception cref="ModernAuthException">The key ring cannot decrypt it (keys lost or not shared): the fix is to enter the secret again.</exception>
    public string Unprotect(string protectedSecret, string providerName, string what)
    {
        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (CryptographicException exception)
        {
            throw new ModernAuthException(
                ModernAuthErrorCategory.InvalidConfiguration,
                $"The {what} of cloud provider '{providerName}' cannot be decrypted with this host's Data Protection keys ({exception.GetType().Name}).",
                "Enter it again on the provider's page, or give this host the key ring it was saved with (DataProtection:KeysDirectory).")
            {
                CloudProviderName = providerName,
            };
        }
    }
}
