using System.Diagnostics;

namespace XCally.ModernAuth.InteropTests.Stack;

/// <summary>
/// A real Dovecot + Postfix stack on loopback, started by <c>tests/interop/mailstack.sh</c> in its own temporary folder and
/// stopped by the pids in its pid files. Shared by the interop tests and the interop benchmarks.
/// </summary>
public sealed class MailStack : IAsyncDisposable
{
    private const string ScriptRelativePath = "tests/interop/mailstack.sh";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(45);

    private readonly string _script;
    private int _disposed;

    private MailStack(string script, MailStackEndpoints endpoints)
    {
        _script = script;
        Endpoints = endpoints;
    }

    /// <summary>Where the servers listen.</summary>
    public MailStackEndpoints Endpoints { get; }

    /// <summary>Starts the stack.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running stack.</returns>
    /// <exception cref="MailStackUnavailableException">The machine cannot run it (the message says how to fix that).</exception>
    /// <exception cref="InvalidOperationException">The script failed; the message carries its output.</exception>
    public static async Task<MailStack> StartAsync(CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new MailStackUnavailableException(
                $"The interop mail stack runs on Linux (Debian packages: {MailStackUnavailableException.InstallCommand}).");
        }

        var script = FindScript();
        // Our own folder, so that a start that fails half-way can still be stopped by the pid files inside it.
        var directory = System.IO.Directory.CreateTempSubdirectory("xcally-mailstack.").FullName;
        int exitCode;
        string output, error;
        try
        {
            (exitCode, output, error) = await RunScriptAsync(script, ["start", directory], StartTimeout, cancellationToken);
        }
        catch
        {
            await StopAsync(script, directory);
            throw;
        }

        if (exitCode != 0)
        {
            await StopAsync(script, directory);
        }

        return exitCode switch
        {
            0 => new MailStack(script, MailStackEndpoints.Parse(output)),
            2 => throw new MailStackUnavailableException(
                $"Dovecot/Postfix are not installed ({error.Trim()}). Install them with: {MailStackUnavailableException.InstallCommand}"),
            3 => throw new MailStackUnavailableException(
                $"The interop mail stack must be started as root: Dovecot and Postfix switch users ({error.Trim()})."),
            _ => throw new InvalidOperationException($"mailstack.sh start exited with {exitCode}:\n{error}\n{output}"),
        };
    }

    /// <summary>Stops both servers by pid and deletes the stack's folder.</summary>
    /// <returns>A task that completes when the servers are gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await StopAsync(_script, Endpoints.Directory);
        }
        finally
        {
            // The script stops them by their pid files; if it could not, end the masters we started (never by name).
            KillIfStillOurs(Endpoints.DovecotPid);
            KillIfStillOurs(Endpoints.PostfixPid);
        }
    }

    /// <summary>Reads the end of Dovecot's log, to check why the server refused a login.</summary>
    /// <returns>The log text.</returns>
    public string ReadDovecotLog() => File.ReadAllText(Endpoints.DovecotLog);

    /// <summary>Postfix's log so far.</summary>
    /// <returns>The log text.</returns>
    public string ReadPostfixLog() => File.ReadAllText(Endpoints.PostfixLog);

    private void KillIfStillOurs(int pid)
    {
        try
        {
            // A pid is only ours while that process still names our folder in its command line or environment.
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            var environ = File.ReadAllText($"/proc/{pid}/environ");
            if (!cmdline.Contains(Endpoints.Directory, StringComparison.Ordinal)
                && !environ.Contains(Endpoints.Directory, StringComparison.Ordinal))
            {
                return;
            }

            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task StopAsync(string script, string directory)
    {
        if (System.IO.Directory.Exists(directory))
        {
            await RunScriptAsync(script, ["stop", directory], StopTimeout, CancellationToken.None);
        }
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, ScriptRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"{ScriptRelativePath} was not found above {AppContext.BaseDirectory}; run the tests from the repository.");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunScriptAsync(
        string script, string[] arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(script);
        // If this process dies without disposing the stack, the script's watcher stops it.
        startInfo.Environment["MAILSTACK_OWNER_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException("bash could not be started to run mailstack.sh.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mailstack.sh {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return (process.ExitCode, await output, await error);
    }
}
