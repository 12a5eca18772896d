using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

namespace XCally.ModernAuth.Samples.Web.Tests.Browser;

/// <summary>
/// The console started as its own process, as <c>dotnet run --no-launch-profile</c> with <c>ASPNETCORE_URLS</c> starts it: it answers
/// <c>/health</c>, sends anonymous callers to the sign-in page, and after signing in lists the demo Cloud Provider.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StartupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Process_NothingConfigured_AnswersOnTheEmulatorWithTheDemoProvider()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "xcally-console-tests", Guid.NewGuid().ToString("N"));
        const string Password = "a password for the process test";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { ConsoleAssembly() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["AdminConsole__DataDirectory"] = dataDirectory,
                ["Admin__Password"] = Password,
                ["DOTNET_NOLOGO"] = "1",
            },
        };
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => log.Enqueue(line.Data ?? string.Empty);
        process.ErrorDataReceived += (_, line) => log.Enqueue(line.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            };
            var started = Stopwatch.StartNew();
            await Eventually.TrueAsync(() => !process.HasExited && Healthy(http), nudge: null, "/health to answer");
            output.WriteLine($"/health answered {started.Elapsed.TotalSeconds:0.0} s after the process started.");

            using (var home = await http.GetAsync("/", ct))
            {
                Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
                Assert.Equal("/signin", home.Headers.Location?.AbsolutePath);
            }

            // Behind a proxy that forwards a caller from the network over plain HTTP: refused, /health excepted.
            foreach (var (path, expected) in new[] { ("/signin", HttpStatusCode.Forbidden), ("/setup", HttpStatusCode.Forbidden), ("/health", HttpStatusCode.OK) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-Forwarded-For", "203.0.113.7" } } };
                using var response = await http.SendAsync(request, ct);
                Assert.Equal(expected, response.StatusCode);
            }

            using var client = new AdminClient(http);
            await client.SignInAsync(Password);
            var page = await http.GetStringAsync("/", ct);
            Assert.Contains("demo-office365", page, StringComparison.Ordinal);
            Assert.Contains("Running on the embedded emulator", page, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(ct);
            output.WriteLine(string.Join('\n', log));
            Assert.DoesNotContain(log, line => line.Contains(Password, StringComparison.Ordinal));
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static bool Healthy(HttpClient http)
    {
        try
        {
            using var response = http.GetAsync("/health").GetAwaiter().GetResult();
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    // The console's own build output, beside this test project's (same configuration).
    private static string ConsoleAssembly()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "samples", "XCally.ModernAuth.Samples.Web", "bin", configuration, "net10.0", "XCally.ModernAuth.Samples.Web.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("The console's build output was not found beside the tests; build the solution first.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
