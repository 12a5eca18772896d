using System.Net;
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
using XCally.ModernAuth.Testing.Certificates;
using XCally.ModernAuth.Testing.Identity.Internal;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// An offline Microsoft Entra ID (identity platform) on loopback HTTPS, shaped so MSAL talks to it unchanged: OpenID metadata,
/// JWKS, instance discovery, and the token endpoint with client credentials (secret or certificate), authorization code with
/// PKCE, refresh tokens and device code. Its TLS certificate is generated at start; clients trust exactly it through
/// <see cref="CreateHttpMessageHandler"/>. Tests steer it: who signs in (<see cref="SignIn"/>), device code approval,
/// revocation, injected faults, and request counters. Thread-safe.
/// </summary>
public sealed partial class EmulatorIdentityServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FaultInjector _faults = new();
    private readonly ILogger _logger;

    private EmulatorIdentityServer(
        WebApplication app,
        X509Certificate2 certificate,
        EmulatorDirectory directory,
        EmulatorTokenIssuer tokens,
        EmulatorIdentityServerOptions options,
        ILogger logger)
    {
        _app = app;
        Certificate = certificate;
        Directory = directory;
        Tokens = tokens;
        Options = options;
        _logger = logger;
        Graph = new EmulatorGraph(directory, tokens.SigningKey, tokens.TimeProvider, logger);
    }

    /// <summary>Microsoft Graph's mail API on this host, under <c>/graph/v1.0/</c>, over the directory's mailboxes.</summary>
    public EmulatorGraph Graph { get; }

    /// <summary>The server's address, <c>https://127.0.0.1:{port}/</c>; an authority is this plus a tenant id or domain.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The TLS certificate the server presents (self-signed, for <c>127.0.0.1</c> and <c>localhost</c>).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The directory the server signs in from.</summary>
    public EmulatorDirectory Directory { get; }

    /// <summary>The issuer that mints the server's tokens, also for minting tokens directly.</summary>
    public EmulatorTokenIssuer Tokens { get; }

    /// <summary>Counts of requests that reached the endpoints.</summary>
    public EmulatorRequestCounters Counters { get; } = new();

    /// <summary>
    /// Decides who signs in at the authorization endpoint: return the user, or <see langword="null"/> to decline. When unset,
    /// the <c>login_hint</c> user signs in, or, with <see cref="EmulatorIdentityServerOptions.InteractiveSignIn"/>, whoever is
    /// named on the sign-in page.
    /// </summary>
    public Func<AuthorizeRequest, EmulatorUser?>? SignIn { get; set; }

    internal EmulatorIdentityServerOptions Options { get; }

    internal TimeProvider TimeProvider => Tokens.TimeProvider;

    internal GrantStore Grants { get; } = new();

    internal FaultInjector Faults => _faults;

    /// <summary>Starts a server on <c>127.0.0.1</c> on a free port.</summary>
    /// <param name="directory">The tenants, applications and users it knows.</param>
    /// <param name="signingKey">The key it signs tokens with (its public part is in the JWKS).</param>
    /// <param name="timeProvider">The clock for token times and expiry; the system clock when omitted.</param>
    /// <param name="options">Lifetimes and logging; defaults when omitted.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    public static async Task<EmulatorIdentityServer> StartAsync(
        EmulatorDirectory directory,
        EmulatorSigningKey signingKey,
        TimeProvider? timeProvider = null,
        EmulatorIdentityServerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(signingKey);
        options ??= new EmulatorIdentityServerOptions();
        var tokens = new EmulatorTokenIssuer(signingKey, timeProvider, options.AccessTokenLifetime);
        var certificate = EmulatorCertificates.CreateLoopbackCertificate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorIdentityServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<EmulatorIdentityServer>();
        var server = new EmulatorIdentityServer(app, certificate, directory, tokens, options, logger);
        server.MapEndpoints();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            certificate.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseAddress = new Uri($"https://127.0.0.1:{new Uri(address).Port}/");
        server.Graph.BaseAddress = new Uri(server.BaseAddress, "graph/v1.0/");
        server.LogStarted(server.BaseAddress);
        return server;
    }

    /// <summary>The authority for a tenant, <c>https://127.0.0.1:{port}/{tenantId}/</c>, for MSAL's <c>WithAuthority</c>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <returns>The authority.</returns>
    public Uri GetAuthority(EmulatorTenant tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return new Uri(BaseAddress, $"{tenant.TenantId}/");
    }

    /// <summary>The token endpoint for a tenant, <c>{authority}oauth2/v2.0/token</c>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <returns>The endpoint.</returns>
    public Uri GetTokenEndpoint(EmulatorTenant tenant) => new(GetAuthority(tenant), "oauth2/v2.0/token");

    /// <summary>
    /// An HTTP handler that trusts exactly this server's certificate and refuses every other one, with redirects off (so a
    /// client sees the authorization endpoint's 302). Use it for MSAL's <c>WithHttpClientFactory</c> or a named HttpClient.
    /// </summary>
    /// <returns>A new handler; the caller owns it.</returns>
    public HttpMessageHandler CreateHttpMessageHandler() => EmulatorCertificates.CreateTrustingHandler(Certificate);

    /// <summary>Makes the next <paramref name="times"/> token requests (optionally only from one client) fail with a fault.</summary>
    /// <param name="fault">The fault, e.g. <see cref="EmulatorFault.Aadsts"/> or <see cref="EmulatorFault.TooManyRequests"/>.</param>
    /// <param name="times">How many requests it applies to.</param>
    /// <param name="clientId">Only requests from this client id; every client when omitted.</param>
    public void InjectFault(EmulatorFault fault, int times = 1, string? clientId = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        _faults.Add(fault, times, clientId);
    }

    /// <summary>Drops every injected fault not yet used.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>Approves a pending device code sign-in as a user: the client's next poll gets tokens.</summary>
    /// <param name="userCode">The code shown to the user (<c>user_code</c>).</param>
    /// <param name="user">The user who signs in.</param>
    /// <exception cref="InvalidOperationException">No pending device code has that user code.</exception>
    public void ApproveDeviceCode(string userCode, EmulatorUser user)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userCode);
        ArgumentNullException.ThrowIfNull(user);
        SetDeviceCodeState(userCode, DeviceCodeState.Approved, user);
    }

    /// <summary>Declines a pending device code sign-in: the client's next poll gets <c>authorization_declined</c>.</summary>
    /// <param name="userCode">The code shown to the user.</param>
    /// <exception cref="InvalidOperationException">No pending device code has that user code.</exception>
    public void DeclineDeviceCode(string userCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userCode);
        SetDeviceCodeState(userCode, DeviceCodeState.Declined, user: null);
    }

    /// <summary>Revokes every refresh token issued to a user (like <c>Revoke-MgUserSignInSession</c>): they get AADSTS50173.</summary>
    /// <param name="user">The user.</param>
    /// <returns>How many refresh tokens were revoked.</returns>
    public int RevokeRefreshTokens(EmulatorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Grants.RevokeRefreshTokens(user);
    }

    /// <summary>Withdraws a user's consent to an application: its refresh tokens get AADSTS65001 until the user signs in again.</summary>
    /// <param name="application">The application.</param>
    /// <param name="user">The user.</param>
    public void WithdrawConsent(EmulatorApplication application, EmulatorUser user)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(user);
        Grants.WithdrawConsent(application, user);
    }

    /// <summary>Mints an app-only access token like the token endpoint would (see <see cref="EmulatorTokenIssuer"/>).</summary>
    /// <param name="application">The application.</param>
    /// <param name="resource">The audience.</param>
    /// <param name="overrides">Departures from the normal token (lifetime, audience, signing key...).</param>
    /// <returns>The signed token.</returns>
    public string IssueAppOnlyAccessToken(EmulatorApplication application, string resource = "https://outlook.office365.com", EmulatorTokenOverrides? overrides = null) =>
        Tokens.IssueAppOnlyAccessToken(application, resource, overrides);

    /// <summary>Mints a delegated access token like the token endpoint would (see <see cref="EmulatorTokenIssuer"/>).</summary>
    /// <param name="application">The application.</param>
    /// <param name="user">The user; its user principal name is the <c>upn</c>.</param>
    /// <param name="scopes">The delegated scopes; the application's when omitted.</param>
    /// <param name="resource">The audience.</param>
    /// <param name="overrides">Departures from the normal token.</param>
    /// <returns>The signed token.</returns>
    public string IssueDelegatedAccessToken(
        EmulatorApplication application,
        EmulatorUser user,
        IEnumerable<string>? scopes = null,
        string resource = "https://outlook.office.com",
        EmulatorTokenOverrides? overrides = null) =>
        Tokens.IssueDelegatedAccessToken(application, user, scopes, resource, overrides);

    /// <summary>Stops the server and frees its certificate.</summary>
    /// <returns>A task that completes when stopped.</returns>
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
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Emulator identity platform at {BaseAddress}";

    private void SetDeviceCodeState(string userCode, DeviceCodeState state, EmulatorUser? user)
    {
        var grant = Grants.FindByUserCode(userCode);
        lock (Grants.Gate)
        {
            if (grant is null || grant.State != DeviceCodeState.Pending)
            {
                throw new InvalidOperationException($"No pending device code sign-in has the user code '{userCode}'. Use the user_code of a device code request that has not been approved, declined or redeemed.");
            }

            grant.State = state;
            grant.User = user;
        }

        if (user is not null)
        {
            Grants.RecordConsent(grant.Application, user, ScopeRequest.Parse(grant.Scope).ForConsent(grant.Application).Permissions);
        }
    }

    private void MapEndpoints()
    {
        var metadata = new MetadataEndpoints(this);
        var token = new TokenEndpoint(this);
        var authorize = new AuthorizeEndpoint(this);
        var deviceCode = new DeviceCodeEndpoint(this);
        _app.MapGet("/common/discovery/instance", metadata.InstanceDiscoveryAsync);
        _app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", context => metadata.OpenIdConfigurationAsync(context, v2: true));
        _app.MapGet("/{tenant}/.well-known/openid-configuration", context => metadata.OpenIdConfigurationAsync(context, v2: false));
        _app.MapGet("/{tenant}/discovery/v2.0/keys", metadata.KeysAsync);
        _app.MapGet("/{tenant}/discovery/keys", metadata.KeysAsync);
        _app.MapGet("/{tenant}/oauth2/v2.0/authorize", authorize.HandleAsync);
        _app.MapPost("/{tenant}/oauth2/v2.0/authorize", authorize.HandlePostAsync);
        _app.MapPost("/{tenant}/oauth2/v2.0/token", token.HandleAsync);
        _app.MapPost("/{tenant}/oauth2/v2.0/devicecode", deviceCode.HandleAsync);
        new Graph.Internal.GraphEndpoints(Graph).Map(_app);
    }
}
