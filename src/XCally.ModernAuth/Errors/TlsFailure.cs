using System.Net.Http;
using System.Security.Authentication;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Recognises a failed TLS handshake in what the HTTP stack throws, and says which check failed and what usually causes it, so
/// that a certificate problem is not reported as an unreachable host.
/// </summary>
internal sealed record TlsFailure(string Description, string Advice)
{
    public static TlsFailure? Find(Exception exception)
    {
        var secureConnection = false;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AuthenticationException authentication)
            {
                return Classify(authentication.Message);
            }

            secureConnection |= current is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError };
        }

        return secureConnection ? Classify(string.Empty) : null;
    }

    private static TlsFailure Classify(string message)
    {
        if (message.Contains("RemoteCertificateNameMismatch", StringComparison.Ordinal))
        {
            return new TlsFailure(
                "the server's certificate does not name the host",
                "Something answers for the host that is not it: check the DNS entry of the host and the proxy in front of it; if a TLS-inspecting proxy re-signs traffic, exempt the host or fix the proxy's certificate.");
        }

        if (message.Contains("NotTimeValid", StringComparison.Ordinal))
        {
            return new TlsFailure(
                "the server's certificate has expired or is not yet valid",
                "Check this machine's clock (timedatectl, or w32tm /query /status) and, if a TLS-inspecting proxy re-signs traffic, its certificate.");
        }

        if (message.Contains("UntrustedRoot", StringComparison.Ordinal) || message.Contains("PartialChain", StringComparison.Ordinal))
        {
            return new TlsFailure(
                "the server's certificate does not chain to a root this machine trusts",
                "A TLS-inspecting proxy or a private CA signs the host's certificate: install that root in this machine's trust store (update-ca-certificates on Linux, certlm.msc on Windows) or exempt the host from inspection.");
        }

        if (message.Contains("Revoked", StringComparison.Ordinal) || message.Contains("RevocationStatusUnknown", StringComparison.Ordinal))
        {
            return new TlsFailure(
                "the server's certificate is revoked, or its revocation could not be checked",
                "Allow this machine to reach the certificate's revocation (CRL/OCSP) addresses through the proxy and firewall.");
        }

        return new TlsFailure(
            message.Length > 0 ? $"the TLS handshake failed: {message}" : "the TLS handshake failed",
            "Check the proxy and firewall between this machine and the host: the TLS handshake must reach the host itself.");
    }
}
