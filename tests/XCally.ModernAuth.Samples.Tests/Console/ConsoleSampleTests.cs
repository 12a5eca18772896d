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
