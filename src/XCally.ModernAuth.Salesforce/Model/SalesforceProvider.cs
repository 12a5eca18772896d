using System.Security.Cryptography.X509Certificates;
using XCally.ModernAuth.Salesforce.Internal;

namespace XCally.ModernAuth.Salesforce;

/// <summary>
/// A configured Salesforce provider: a connected app or External Client App of one org, the flow it signs in with and its
/// credential. Immutable and validated; <see cref="ToString"/> never shows a secret, password or key. Two providers with the
/// same settings are equal (a secret or password by value, a certificate by thumbprint), so a host's store may build a new
/// instance on every lookup: an unchanged provider keeps its session, a changed one signs in anew.
/// </summary>
public sealed class SalesforceProvider : IEquatable<SalesforceProvider>
{
    internal SalesforceProvider(string name, SalesforceProviderOptions options, X509Certificate2? certificate)
    {
        Name = name;
        Type = options.Type;
        Flow = options.Flow;
        var loginUrl = options.LoginUrl!.Trim();
        LoginUrl = new Uri(loginUrl.EndsWith('/') ? loginUrl : loginUrl + "/", UriKind.Absolute);
        ConsumerKey = options.ConsumerKey!.Trim();
        Username = options.Flow == SalesforceFlow.ClientCredentials ? null : options.Username!.Trim();
        SessionTimeout = options.SessionTimeout;
        ApiVersion = SalesforceProviderOptionsValidator.NormalizeApiVersion(options.ApiVersion);
        AllowNonSalesforceHost = options.AllowNonSalesforceHost;
        ConsumerSecret = string.IsNullOrWhiteSpace(options.ConsumerSecret) ? null : options.ConsumerSecret.Trim();
        Password = options.Flow == SalesforceFlow.UsernamePassword ? options.Password + options.SecurityToken?.Trim() : null;
        Certificate = certificate;
    }

    /// <summary>The provider's unique name (case-insensitive).</summary>
    public string Name { get; }

    /// <summary>The kind of app.</summary>
    public SalesforceAppType Type { get; }

    /// <summary>The sign-in flow.</summary>
    public SalesforceFlow Flow { get; }

    /// <summary>The login URL tokens are requested from, ending with a slash.</summary>
    public Uri LoginUrl { get; }

    /// <summary>The OAuth 2.0 token endpoint, <c>{LoginUrl}services/oauth2/token</c>.</summary>
    public Uri TokenEndpoint => new(LoginUrl, "services/oauth2/token");

    /// <summary>The app's Consumer Key.</summary>
    public string ConsumerKey { get; }

    /// <summary>The user signed in as (JWT bearer, username-password); <see langword="null"/> for client credentials, whose user is the app's Run As user.</summary>
    public string? Username { get; }

    /// <summary>The org's session timeout, which sessions are renewed well before.</summary>
    public TimeSpan SessionTimeout { get; }

    /// <summary>The REST API version, e.g. <c>62.0</c>.</summary>
    public string ApiVersion { get; }

    /// <summary>Whether the login URL and <c>instance_url</c> may be hosts other than Salesforce's (an emulator).</summary>
    public bool AllowNonSalesforceHost { get; }

    /// <summary>The JWT bearer flow's signing certificate, when that is the flow.</summary>
    public X509Certificate2? Certificate { get; }

    internal string? ConsumerSecret { get; }

    /// <summary>The username-password flow's password followed by the security token.</summary>
    internal string? Password { get; }

    /// <summary>Creates a validated provider from options, for hosts that keep providers in their own store.</summary>
    /// <param name="name">The provider's name.</param>
    /// <param name="options">The provider's settings.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ModernAuthException">The options are invalid; the message lists every problem.</exception>
    public static SalesforceProvider Create(string name, SalesforceProviderOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        return SalesforceModelFactory.Create(name, options, options.ConfigurationPath ?? $"CloudProviders:{name}", TimeProvider.System.GetUtcNow());
    }

    /// <inheritdoc />
    public bool Equals(SalesforceProvider? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase)
                && Type == other.Type
                && Flow == other.Flow
                && LoginUrl == other.LoginUrl
                && string.Equals(ConsumerKey, other.ConsumerKey, StringComparison.Ordinal)
                && string.Equals(Username, other.Username, StringComparison.OrdinalIgnoreCase)
                && SessionTimeout == other.SessionTimeout
                && string.Equals(ApiVersion, other.ApiVersion, StringComparison.Ordinal)
                && AllowNonSalesforceHost == other.AllowNonSalesforceHost
                && string.Equals(ConsumerSecret, other.ConsumerSecret, StringComparison.Ordinal)
                && string.Equals(Password, other.Password, StringComparison.Ordinal)
                && string.Equals(Certificate?.Thumbprint, other.Certificate?.Thumbprint, StringComparison.OrdinalIgnoreCase)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SalesforceProvider);

    /// <inheritdoc />
    // Secrets stay out of the hash: equal providers still hash alike, and a hash never says anything about a secret.
    public override int GetHashCode() => HashCode.Combine(
        StringComparer.OrdinalIgnoreCase.GetHashCode(Name),
        Flow,
        LoginUrl,
        ConsumerKey);

    /// <inheritdoc />
    public override string ToString() =>
        $"SalesforceProvider {Name} ({Type}, {Flow}, {LoginUrl.GetLeftPart(UriPartial.Authority)}, consumer key {ConsumerKey}{(Username is null ? string.Empty : ", user " + Username)}, {CredentialDescription})";

    internal string CredentialDescription => Flow switch
    {
        SalesforceFlow.JwtBearer => $"certificate (thumbprint {Certificate!.Thumbprint})",
        SalesforceFlow.UsernamePassword => "consumer secret, password and security token",
        _ => "consumer secret",
    };
}
