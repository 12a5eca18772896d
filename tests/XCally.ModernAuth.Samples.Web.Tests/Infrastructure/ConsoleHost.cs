using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Samples.Web.Data;
using XCally.ModernAuth.Samples.Web.Demo;

namespace XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

/// <summary>
/// The console as <c>dotnet run</c> starts it on the emulators (<see cref="AdminConsole.BuildAsync"/>), in this process, on a free
/// loopback port over HTTPS with a certificate made for the test, with its own data folder, a clock the test moves, and every log
/// line captured.
/// </summary>
public sealed class ConsoleHost : IAsyncDisposable
{
    private ConsoleHost(WebApplication app, X509Certificate2 certificate, FakeTimeProvider time, FakeLogCollector logs, string dataDirectory)
    {
        App = app;
        Certificate = certificate;
        Time = time;
        Logs = logs;
        DataDirectory = dataDirectory;
    }

    public WebApplication App { get; }

    public X509Certificate2 Certificate { get; }

    public FakeTimeProvider Time { get; }

    public FakeLogCollector Logs { get; }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public DemoEnvironment Demo => App.Services.GetRequiredService<DemoEnvironment>();

    public string CallbackUrl => new Uri(BaseAddress, "signin-xcally").ToString();

    /// <summary>The SQLite files of the demo database (with its write-ahead log).</summary>
    public IEnumerable<string> DatabaseFiles => Directory.EnumerateFiles(DataDirectory, "demo.db*");

    /// <summary>Whether disposing deletes the data folder (a test that restarts the console on it keeps it).</summary>
    public bool KeepData { get; set; }

    public static async Task<ConsoleHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        CancellationToken cancellationToken = default,
        string? dataDirectory = null,
        Action<IServiceCollection>? services = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "xcally-console-tests", Guid.NewGuid().ToString("N"));
        var certificate = CreateCertificate();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new FakeLogCollector();
        var app = await AdminConsole.BuildAsync(
            [],
            builder =>
            {
                var values = new Dictionary<string, string?>
                {
                    ["AdminConsole:DataDirectory"] = dataDirectory,
                    ["Logging:LogLevel:Default"] = "Debug",
                };
                foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
                {
                    values[key] = value;
                }

                builder.Configuration.AddInMemoryCollection(values);
                builder.Environment.EnvironmentName = Environments.Production;
                builder.Services.AddSingleton<TimeProvider>(time);
                services?.Invoke(builder.Services);
                builder.Logging.ClearProviders().AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Debug);
                builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate);
                }));
            },
            cancellationToken);
        var host = new ConsoleHost(app, certificate, time, logs, dataDirectory);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        host.BaseAddress = new Uri($"https://127.0.0.1:{new Uri(address).Port}/");
        return host;
    }

    public async Task<AdminDbContext> OpenDatabaseAsync() =>
        await App.Services.GetRequiredService<IDbContextFactory<AdminDbContext>>().CreateDbContextAsync();

    /// <summary>An HTTP client that trusts exactly the console's certificate, without redirects, keeping cookies.</summary>
    public HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == Certificate.GetCertHashString() },
        };
        return new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Every captured log line, formatted, with its exception.</summary>
    public string AllLogText() => string.Join('\n', Logs.GetSnapshot().Select(record => $"{record.Category} {record.Message} {record.Exception}"));

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Certificate.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (KeepData)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The SPKI hash Chromium's <c>--ignore-certificate-errors-spki-list</c> takes: trust exactly this key.</summary>
    public static string SpkiHash(X509Certificate2 certificate) =>
        Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
