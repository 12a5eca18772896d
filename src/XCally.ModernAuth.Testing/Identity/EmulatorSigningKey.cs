using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// The RSA key the emulator signs tokens with (RS256), generated at run time. Its public part is published in the JWKS and can be
/// exported as PEM with its <see cref="KeyId"/>, for real mail servers (Dovecot) to trust.
/// </summary>
public sealed class EmulatorSigningKey : IDisposable
{
    private readonly RSA _rsa;

    /// <summary>Generates a new 2048-bit key.</summary>
    public EmulatorSigningKey()
    {
        _rsa = RSA.Create(2048);
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData(_rsa.ExportSubjectPublicKeyInfo()).AsSpan(0, 16).ToArray());
        SecurityKey = new RsaSecurityKey(_rsa) { KeyId = KeyId };
        SigningCredentials = new SigningCredentials(SecurityKey, SecurityAlgorithms.RsaSha256);
    }

    /// <summary>The key id (<c>kid</c>) in token headers and the JWKS.</summary>
    public string KeyId { get; }

    /// <summary>The key, for token validation.</summary>
    public SecurityKey SecurityKey { get; }

    /// <summary>The credentials tokens are signed with.</summary>
    public SigningCredentials SigningCredentials { get; }

    /// <summary>The public key as a PEM <c>PUBLIC KEY</c> block.</summary>
    /// <returns>The PEM text.</returns>
    public string ExportPublicKeyPem() => _rsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>The public key as a JSON Web Key, as published in the JWKS.</summary>
    /// <returns>The key's parameters.</returns>
    public JsonWebKey ToJsonWebKey()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return new JsonWebKey
        {
            Kty = "RSA",
            Use = "sig",
            Kid = KeyId,
            Alg = SecurityAlgorithms.RsaSha256,
            N = Base64UrlEncoder.Encode(parameters.Modulus),
            E = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    /// <inheritdoc />
    public void Dispose() => _rsa.Dispose();
}
