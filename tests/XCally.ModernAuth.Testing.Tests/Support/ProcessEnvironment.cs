namespace XCally.ModernAuth.Testing.Tests.Support;

/// <summary>
/// Tests that set process-wide environment variables (the managed identity endpoint MSAL looks for, a workload identity token
/// file): they run alone, never beside a test that reads them.
/// </summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    /// <summary>Sets variables for the lifetime of the returned scope, then puts back what was there before.</summary>
    public static IDisposable Set(IReadOnlyDictionary<string, string> variables) => new Scope(variables);

    private sealed class Scope : IDisposable
    {
        private readonly Dictionary<string, string?> _previous = [];

        public Scope(IReadOnlyDictionary<string, string> variables)
        {
            foreach (var (name, value) in variables)
            {
                _previous[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
