using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Certificate validation for servers whose certificate chains to a private root (a hybrid or on-premises relay behind a
/// company CA): the system's validation first; failing that, the chain is built again with the configured roots as its only
/// trust anchors (<see cref="X509ChainTrustMode.CustomRootTrust"/>). The host name must still match, and nothing else is accepted.
/// </summary>
internal static class PrivateRootValidation
{
    /// <summary>A validation callback that trusts the system's roots and <paramref name="roots"/>.</summary>
    /// <param name="roots">The private roots; copied, so later changes to the collection do not apply.</param>
    /// <returns>The callback.</returns>
    public static RemoteCertificateValidationCallback Create(X509Certificate2Collection roots)
    {
        var anchors = new X509Certificate2Collection();
        anchors.AddRange(roots);
        return (_, certificate, chain, errors) => Validate(certificate, chain, errors, anchors);
    }

    private static bool Validate(X509Certificate? certificate, X509Chain? systemChain, SslPolicyErrors errors, X509Certificate2Collection anchors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // A wrong host name or no certificate at all is never rescued by a trust anchor.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);

        // As MailKit's own default (CheckCertificateRevocation = false): a private CA seldom publishes a reachable CRL.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (systemChain is not null)
        {
            // The intermediates the server sent.
            foreach (var element in systemChain.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
