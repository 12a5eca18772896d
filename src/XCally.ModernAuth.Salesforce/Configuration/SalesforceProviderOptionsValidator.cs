using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>
/// The checks of one Salesforce provider, shared by start-up validation and <see cref="SalesforceProvider.Create"/>: the login
/// URL fits the flow, exactly the flow's credentials are set, the certificate loads. A secret or password never appears in a message.
/// </summary>
internal static partial class SalesforceProviderOptionsValidator
{
    private const string ConsumerDetails = "copy it from the app's Manage Consumer Details (Setup → App Manager → the app → View; External Client Apps: External Client App Manager → the app → Settings → OAuth Settings)";

    public static readonly ConfigurationEnumNames<SalesforceFlow> Flows = new("Salesforce flow", ("JWT", SalesforceFlow.JwtBearer), ("Password", SalesforceFlow.UsernamePassword));

    public static readonly ConfigurationEnumNames<SalesforceAppType> AppTypes = new("Salesforce app type", ("ExternalClientApplication", SalesforceAppType.ExternalClientApp), ("ConnectedApplication", SalesforceAppType.ConnectedApp));

    /// <summary>Validates; for the JWT bearer flow the certificate is loaded and returned, and the caller owns it.</summary>
    public static X509Certificate2? Validate(string path, SalesforceProviderOptions options, DateTimeOffset now, ValidationProblems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        EnumRules.Defined(options.Type, AppTypes, ValidationProblems.Path(path, "Type"), problems);
        EnumRules.Defined(options.Flow, Flows, ValidationProblems.Path(path, "Flow"), problems);
        ValidateFlowChoice(path, options, problems);
        ValidateLoginUrl(ValidationProblems.Path(path, "LoginUrl"), options, problems);
        if (string.IsNullOrWhiteSpace(options.ConsumerKey))
        {
            problems.Add(ValidationProblems.Path(path, "ConsumerKey"), $"missing; {ConsumerDetails}");
        }

        if (options.SessionTimeout < TimeSpan.FromMinutes(15) || options.SessionTimeout > TimeSpan.FromHours(24))
        {
            problems.Add(ValidationProblems.Path(path, "SessionTimeout"), $"{options.SessionTimeout} is out of range; use the org's Timeout Value from Setup → Session Settings, 00:15:00 to 1.00:00:00");
        }

        if (string.IsNullOrWhiteSpace(options.ApiVersion) || !ApiVersionPattern().IsMatch(options.ApiVersion.Trim()))
        {
            problems.Add(ValidationProblems.Path(path, "ApiVersion"), $"'{options.ApiVersion}' is not a REST API version such as {SalesforceDefaults.ApiVersion}");
        }

        return ValidateCredentials(path, options, now, problems);
    }

    /// <summary>The version without a leading <c>v</c>, as in <c>/services/data/v62.0/</c>.</summary>
    public static string NormalizeApiVersion(string version) => version.Trim().TrimStart('v', 'V');

    private static void ValidateFlowChoice(string path, SalesforceProviderOptions options, ValidationProblems problems)
    {
        if (options.Flow != SalesforceFlow.UsernamePassword)
        {
            return;
        }

        var flowPath = ValidationProblems.Path(path, "Flow");
        if (options.Type == SalesforceAppType.ExternalClientApp)
        {
            problems.Add(flowPath, "External Client Apps have no username-password flow; use ClientCredentials (a Run As user) or JwtBearer");
        }
        else if (!options.AllowUsernamePasswordFlow)
        {
            problems.Add(flowPath, "UsernamePassword (password plus security token) is refused unless AllowUsernamePasswordFlow is true: Salesforce blocks it in orgs created since Summer '23 and is retiring it; move to ClientCredentials (enable the client credentials flow on the app and pick a Run As user) or JwtBearer (upload a certificate to the app), or set AllowUsernamePasswordFlow to true until then");
        }
    }

    private static void ValidateLoginUrl(string path, SalesforceProviderOptions options, ValidationProblems problems)
    {
        if (string.IsNullOrWhiteSpace(options.LoginUrl))
        {
            problems.Add(path, options.Flow == SalesforceFlow.ClientCredentials
                ? "missing; set the org's My Domain URL, https://<domain>.my.salesforce.com (Setup → My Domain), which client credentials require"
                : "missing; set the org's My Domain URL (Setup → My Domain), or https://login.salesforce.com for production and https://test.salesforce.com for a sandbox");
            return;
        }

        if (!Uri.TryCreate(options.LoginUrl.Trim(), UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            problems.Add(path, $"'{options.LoginUrl}' is not a login URL such as https://contoso.my.salesforce.com; give the scheme and host only, no path");
            return;
        }

        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add(path, $"'{options.LoginUrl}' does not use https; the consumer secret and sessions must not cross a clear-text connection");
            return;
        }

        var host = uri.Host;
        if (SalesforceHosts.IsLightningHost(host))
        {
            problems.Add(path, $"'{host}' is the Lightning UI host, not the login host; use the My Domain URL, https://{host[..host.IndexOf('.', StringComparison.Ordinal)]}.my.salesforce.com");
        }
        else if (SalesforceHosts.IsGenericLoginHost(host))
        {
            if (options.Flow == SalesforceFlow.ClientCredentials)
            {
                problems.Add(path, $"'{host}' does not serve client credentials (Salesforce answers 'request not supported on this domain'); use the org's My Domain URL, https://<domain>.my.salesforce.com (Setup → My Domain)");
            }
        }
        else if (SalesforceHosts.IsMyDomain(host))
        {
            // Every flow works on a My Domain.
        }
        else if (!options.AllowNonSalesforceHost)
        {
            problems.Add(path, SalesforceHosts.IsInstanceHost(host)
                ? $"'{host}' is an instance host, not a login host; use the org's My Domain URL (Setup → My Domain)"
                : $"'{host}' is not a Salesforce host, and the consumer secret would be sent to it; use the org's My Domain URL, or set AllowNonSalesforceHost to true for an emulator or tests");
        }
    }

    private static X509Certificate2? ValidateCredentials(string path, SalesforceProviderOptions options, DateTimeOffset now, ValidationProblems problems)
    {
        // Each flow needs its own fields and no other's: a stray password or secret would otherwise sit unused in configuration.
        var (required, forbidden) = options.Flow switch
        {
            SalesforceFlow.JwtBearer => (new[] { "Certificate", "Username" }, new[] { "ConsumerSecret", "Password", "SecurityToken" }),
            SalesforceFlow.UsernamePassword => (new[] { "ConsumerSecret", "Username", "Password" }, new[] { "Certificate" }),
            _ => (new[] { "ConsumerSecret" }, new[] { "Certificate", "Username", "Password", "SecurityToken" }),
        };

        foreach (var field in required.Where(field => !IsSet(options, field)))
        {
            problems.Add(ValidationProblems.Path(path, field), $"missing; the {options.Flow} flow needs it ({Hint(field)})");
        }

        foreach (var field in forbidden.Where(field => IsSet(options, field)))
        {
            problems.Add(ValidationProblems.Path(path, field), $"set, but the {options.Flow} flow does not use it; remove it, or choose the Flow it belongs to");
        }

        if (options.Flow != SalesforceFlow.JwtBearer || options.Certificate is null)
        {
            return null;
        }

        var certificatePath = ValidationProblems.Path(path, "Certificate");
        var certificate = CertificateOptionsValidator.Load(certificatePath, options.Certificate, now, problems);
        if (certificate is not null && certificate.GetRSAPublicKey() is null)
        {
            problems.Add(certificatePath, $"the certificate {certificate.Thumbprint} has no RSA key; the JWT bearer flow signs with RS256, so create an RSA certificate and upload it to the app");
            certificate.Dispose();
            return null;
        }

        return certificate;
    }

    private static bool IsSet(SalesforceProviderOptions options, string field) => field switch
    {
        "ConsumerSecret" => !string.IsNullOrWhiteSpace(options.ConsumerSecret),
        "Certificate" => options.Certificate is not null,
        "Username" => !string.IsNullOrWhiteSpace(options.Username),
        "Password" => !string.IsNullOrWhiteSpace(options.Password),
        _ => !string.IsNullOrWhiteSpace(options.SecurityToken),
    };

    private static string Hint(string field) => field switch
    {
        "ConsumerSecret" => ConsumerDetails,
        "Certificate" => "the PFX whose certificate is uploaded to the app under Use digital signatures",
        "Username" => "the Salesforce username of the pre-authorized integration user",
        _ => "the API user's password; append nothing, the security token goes in SecurityToken",
    };

    [GeneratedRegex(@"^[vV]?\d{2,3}\.\d$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersionPattern();
}
