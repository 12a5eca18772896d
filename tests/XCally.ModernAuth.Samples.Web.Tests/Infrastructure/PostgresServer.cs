using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server (Debian's <c>postgresql</c>) for one test: a new cluster in a temporary folder, on a free loopback port,
/// trust authentication, started and stopped with <c>pg_ctl</c> (which stops the postmaster by the pid it wrote). PostgreSQL refuses
/// to run as root, so as root the cluster belongs to the <c>postgres</c> user. Missing, the test is skipped with the install command,
/// and fails under <c>CI=true</c>.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string InstallCommand = "apt-get install -y postgresql";

    private readonly string _bin;
    private readonly string _folder;
    private readonly bool _asPostgresUser;

    private PostgresServer(string bin, string folder, int port, bool asPostgresUser)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Pooling=false";

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin")).Where(path => File.Exists(Path.Combine(path, "pg_ctl"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
        {
            var message = $"PostgreSQL is not installed; install it with: {InstallCommand}";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        var asPostgresUser = Environment.UserName == "root";
        var folder = Path.Combine(Path.GetTempPath(), "xcally-postgres-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (asPostgresUser)
        {
            await RunAsync("chown", false, "postgres:postgres", folder);
        }

        var port = FreePort();
        var server = new PostgresServer(bin!, folder, port, asPostgresUser);
        try
        {
            var data = Path.Combine(folder, "data");
            await server.RunToolAsync("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions");
            await server.RunToolAsync(
                "pg_ctl", "-D", data, "-w", "-t", "60", "-l", Path.Combine(folder, "server.log"),
                "-o", $"-p {port.ToString(CultureInfo.InvariantCulture)} -h 127.0.0.1 -k {folder} -c fsync=off -c full_page_writes=off", "start");
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            RunToolAsync("pg_ctl", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop").GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // Not started.
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private Task RunToolAsync(string tool, params string[] arguments) =>
        RunAsync(Path.Combine(_bin, tool), _asPostgresUser, arguments);

    private static async Task RunAsync(string executable, bool asPostgresUser, params string[] arguments)
    {
        var start = new ProcessStartInfo(asPostgresUser ? "runuser" : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgresUser)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", executable })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(executable)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error} {await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
