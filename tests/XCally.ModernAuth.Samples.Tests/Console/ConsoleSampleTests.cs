using System.Reflection;

namespace XCally.ModernAuth.Samples.Tests.Console;

/// <summary>Runs the console sample's real entry point, as the README's <c>dotnet run</c> does, and checks its exit codes.</summary>
[Collection(nameof(ConsoleSampleTests))]
public class ConsoleSampleTests
{
    private static readonly MethodInfo EntryPoint =
        Assembly.Load("XCally.ModernAuth.Samples.Console").EntryPoint ?? throw new InvalidOperationException("The console sample has no entry point.");

    [Fact]
    public async Task Main_NoArguments_RunsTheWholeFlowOnTheEmulator()
    {
        Assert.Equal(0, await RunAsync());
    }

    [Fact]
    public async Task Main_Delegated_SignsInThenRunsTheFlowOnTheEmulator()
    {
        Assert.Equal(0, await RunAsync("--delegated"));
    }

    [Fact]
    public async Task Main_Check_PrintsTheChecklistOnTheEmulatorAndExitsZero()
    {
        Assert.Equal(0, await RunAsync("--check"));
    }

    [Fact]
    public async Task Main_CheckAccountWithoutMailboxPermission_ExitCode5()
    {
        Assert.Equal(5, await RunAsync("--check", "no-access@contoso.onmicrosoft.com"));
    }

    [Fact]
    public async Task Main_TransportGraph_SendsAndReadsThroughGraphOnTheEmulator()
    {
        var (code, output) = await RunCapturingOutputAsync("--transport", "graph");

        Assert.True(code == 0, output);
        Assert.Contains("Send a message through Microsoft Graph", output, StringComparison.Ordinal);
        Assert.Contains("new message(s) read by", output, StringComparison.Ordinal);
        Assert.Contains("ErrorAccessDenied", output, StringComparison.Ordinal);
        Assert.Contains("New-ManagementRoleAssignment", output, StringComparison.Ordinal);
        Assert.Contains("All steps succeeded.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_TransportAuto_FallsBackToGraphOnceOnATenantWithoutSmtpAuth()
    {
        var (code, output) = await RunCapturingOutputAsync("--transport", "auto");

        Assert.True(code == 0, output);
        Assert.Contains("SMTP AUTH attempts refused: 1; Graph sendMail requests: 2", output, StringComparison.Ordinal);
        Assert.Single(output.Split('\n'), line => line.Contains("sends through Microsoft Graph from now on", StringComparison.Ordinal));
        Assert.Contains("All steps succeeded.", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--transport", "pop3")]
    [InlineData("--transport", "graph", "--delegated")]
    public async Task Main_TransportInvalidOrWithDelegated_ExitCode2(params string[] args)
    {
        Assert.Equal(2, await RunAsync(args));
    }

    [Fact]
    public async Task Main_UnknownArgument_ExitCode2()
    {
        Assert.Equal(2, await RunAsync("--no-such-option"));
    }

    [Fact]
    public async Task Main_InvalidConfiguration_ExitCode3()
    {
        var file = Path.Combine(Path.GetTempPath(), $"xcally-sample-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(
            file,
            """{ "XCallyModernAuth": { "CloudProviders": { "contoso": { "TenantId": "common", "ClientId": "abc" } }, "EmailAccounts": [ { "Address": "support@contoso.com", "CloudProvider": "fabrikam" } ] } }""",
            TestContext.Current.CancellationToken);
        try
        {
            Assert.Equal(3, await RunAsync("--config", file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Main_SignInHostNeverAnswers_ReportsTheTimeoutWithinTheConfiguredBound()
    {
        // A sign-in host that accepts the connection and never says a word.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var held = new List<System.Net.Sockets.Socket>();
        _ = Task.Run(
            async () =>
            {
                while (true)
                {
                    held.Add(await listener.AcceptSocketAsync(TestContext.Current.CancellationToken));
                }
            },
            TestContext.Current.CancellationToken);
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var file = Path.Combine(Path.GetTempPath(), $"xcally-sample-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(
            file,
            $$"""
            {
              "XCallyModernAuth": {
                "TokenProvider": { "IdentityRequestTimeout": "00:00:02" },
                "CloudProviders": {
                  "contoso": {
                    "TenantId": "{{Guid.NewGuid()}}", "ClientId": "{{Guid.NewGuid()}}", "ClientSecret": "not-a-real-secret~value",
                    "AuthorityHost": "https://127.0.0.1:{{port}}", "AllowNonMicrosoftAuthority": true
                  }
                },
                "EmailAccounts": [ { "Address": "support@contoso.com", "CloudProvider": "contoso" } ]
              }
            }
            """,
            TestContext.Current.CancellationToken);
        var error = new StringWriter();
        var original = System.Console.Error;
        System.Console.SetError(error);
        try
        {
            Assert.Equal(4, await RunAsync("--config", file, "--account", "support@contoso.com"));
        }
        finally
        {
            System.Console.SetError(original);
            File.Delete(file);
            foreach (var socket in held.ToArray())
            {
                socket.Dispose();
            }
        }

        var text = error.ToString();
        Assert.Contains("Transient, timeout", text, StringComparison.Ordinal);
        Assert.Contains($"https://127.0.0.1:{port}", text, StringComparison.Ordinal);
        Assert.Contains("did not complete within 2 s", text, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunCapturingOutputAsync(params string[] args)
    {
        var output = new StringWriter();
        var original = System.Console.Out;
        System.Console.SetOut(output);
        try
        {
            var code = await RunAsync(args);
            return (code, output.ToString());
        }
        finally
        {
            System.Console.SetOut(original);
        }
    }

    private static async Task<int> RunAsync(params string[] args)
    {
        var result = EntryPoint.Invoke(null, [args]);
        return result switch
        {
            Task<int> task => await task.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken),
            int code => code,
            _ => throw new InvalidOperationException("Unexpected entry point result."),
        };
    }
}
