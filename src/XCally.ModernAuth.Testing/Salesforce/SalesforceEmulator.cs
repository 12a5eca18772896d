using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XCally.ModernAuth.Salesforce;
using XCally.ModernAuth.Testing.Certificates;
using XCally.ModernAuth.Testing.Salesforce.Internal;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// An offline Salesforce org on loopback HTTPS: the OAuth 2.0 token endpoint (client credentials, JWT bearer, username-password)
/// with Salesforce's refusals, sessions that time out, and the REST subset of an email channel (records, SOQL, composite) kept
/// in memory. Its My Domain is <see cref="MyDomainUrl"/> (<c>https://127.0.0.1:{port}/</c>); <see cref="LoginUrl"/>
/// (<c>https://localhost:{port}/</c>) plays <c>login.salesforce.com</c>, which serves no client credentials. Runs on its own or
/// beside a <see cref="ModernAuthEmulator"/>; <see cref="SalesforceEmulatorBuilderExtensions.UseSalesforceEmulator"/> points an SDK host at it.
/// </summary>
/// <example>
/// <code>
/// await using var salesforce = await SalesforceEmulator.StartAsync();
/// services.AddXCallyModernAuth().UseSalesforceEmulator(salesforce);
/// </code>
/// </example>
public sealed partial class SalesforceEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ILogger _logger;

    private SalesforceEmulator(WebApplication app, X509Certificate2 certificate, X509Certificate2 jwtCertificate, SalesforceEmulatorOptions options, ILogger logger)
    {
        _app = app;
        _logger = logger;
        Certificate = certificate;
        JwtSigningCertificate = jwtCertificate;
        Org = new EmulatorSalesforceOrg(options, jwtCertificate);
    }

    /// <summary>The org: its app, users, sessions and records.</summary>
    public EmulatorSalesforceOrg Org { get; }

    /// <summary>The org's My Domain, <c>https://127.0.0.1:{port}/</c>: the token endpoint for every flow, and the <c>instance_url</c>.</summary>
    public Uri MyDomainUrl { get; private set; } = null!;

    /// <summary>The generic login host, <c>https://localhost:{port}/</c>, which like <c>login.salesforce.com</c> refuses client credentials.</summary>
    public Uri LoginUrl { get; private set; } = null!;

    /// <summary>The TLS certificate the org presents (self-signed, for <c>127.0.0.1</c> and <c>localhost</c>).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The JWT bearer flow's certificate with its private key; its public part is uploaded to the app.</summary>
    public X509Certificate2 JwtSigningCertificate { get; }

    /// <summary>Counts of requests that reached the org.</summary>
    public SalesforceEmulatorCounters Counters { get; } = new();

    /// <summary>Starts an org on <c>127.0.0.1</c> on a free port.</summary>
    /// <param name="options">The set-up; defaults when omitted.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running org; dispose it to stop.</returns>
    public static async Task<SalesforceEmulator> StartAsync(SalesforceEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SalesforceEmulatorOptions();
        var certificate = EmulatorCertificates.CreateLoopbackCertificate();
        var jwtCertificate = CreateJwtCertificate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SalesforceEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SalesforceEmulator>();
        var emulator = new SalesforceEmulator(app, certificate, jwtCertificate, options, logger);
        emulator.MapEndpoints();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            certificate.Dispose();
            jwtCertificate.Dispose();
            throw;
        }

        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()).Port;
        emulator.MyDomainUrl = new Uri($"https://127.0.0.1:{port}/");
        emulator.LoginUrl = new Uri($"https://localhost:{port}/");
        emulator.LogStarted(emulator.MyDomainUrl);
        return emulator;
    }

    /// <summary>An HTTP handler that trusts exactly this org's certificate and refuses every other one.</summary>
    /// <returns>A new handler; the caller owns it.</returns>
    public HttpMessageHandler CreateHttpMessageHandler() => EmulatorCertificates.CreateTrustingHandler(Certificate);

    /// <summary>
    /// Fills Salesforce provider settings that point at this org: its My Domain with the explicit
    /// <see cref="SalesforceProviderOptions.AllowNonSalesforceHost"/> opt-in, the app's Consumer Key, and the flow's credentials.
    /// </summary>
    /// <param name="options">The settings to fill.</param>
    /// <param name="flow">The flow; for <see cref="SalesforceFlow.UsernamePassword"/> the opt-in is set too (the org must allow the flow).</param>
    public void ConfigureProvider(SalesforceProviderOptions options, SalesforceFlow flow = SalesforceFlow.ClientCredentials)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Flow = flow;
        options.LoginUrl = MyDomainUrl.ToString();
        options.AllowNonSalesforceHost = true;
        options.ConsumerKey = Org.ConsumerKey;
        switch (flow)
        {
            case SalesforceFlow.JwtBearer:
                options.Username = Org.IntegrationUser.Username;
                options.Certificate = new CertificateOptions { Base64 = Convert.ToBase64String(JwtSigningCertificate.Export(X509ContentType.Pfx)) };
                break;
            case SalesforceFlow.UsernamePassword:
                options.ConsumerSecret = Org.ConsumerSecret;
                options.Username = Org.IntegrationUser.Username;
                options.Password = Org.IntegrationUser.Password;
                options.SecurityToken = Org.IntegrationUser.SecurityToken;
                options.AllowUsernamePasswordFlow = true;
                break;
            default:
                options.ConsumerSecret = Org.ConsumerSecret;
                break;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            Certificate.Dispose();
            JwtSigningCertificate.Dispose();
            Org.UploadedCertificate?.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"SalesforceEmulator (My Domain {MyDomainUrl}, org {Org.OrganizationId})";

    [LoggerMessage(1, LogLevel.Information, "Emulator Salesforce org listening at {MyDomain}")]
    private partial void LogStarted(Uri myDomain);

    [LoggerMessage(2, LogLevel.Debug, "Issued a session for grant {GrantType} to {Username}")]
    internal partial void LogIssued(string grantType, string username);

    [LoggerMessage(3, LogLevel.Debug, "Refused a {GrantType} token request: {Error} {Description}")]
    internal partial void LogRefused(string grantType, string error, string description);

    private static X509Certificate2 CreateJwtCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=XCally Salesforce integration", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        using var certificate = request.CreateSelfSigned(start, start.AddDays(30));

        // Re-imported from a PFX so the private key is usable on every platform.
        var pfx = certificate.Export(X509ContentType.Pfx);
#if NET9_0_OR_GREATER
        return X509CertificateLoader.LoadPkcs12(pfx, password: null, X509KeyStorageFlags.Exportable);
#else
        return new X509Certificate2(pfx, (string?)null, X509KeyStorageFlags.Exportable);
#endif
    }

    private void MapEndpoints()
    {
        var token = new SalesforceTokenEndpoint(this);
        var rest = new SalesforceRestEndpoints(this);
        _app.MapPost("/services/oauth2/token", token.HandleAsync);
        _app.MapGet("/services/data/{version}/query", rest.QueryAsync);
        _app.MapPost("/services/data/{version}/sobjects/{type}", rest.CreateAsync);
        _app.MapGet("/services/data/{version}/sobjects/{type}/{id}", rest.ReadAsync);
        _app.MapPost("/services/data/{version}/composite", rest.CompositeAsync);
    }
}
