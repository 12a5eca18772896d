using XCally.ModernAuth.InteropTests.Stack;
using XCally.ModernAuth.InteropTests.Tokens;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.InteropBenchmarks;

/// <summary>
/// The one mail stack every benchmark case logs in to, started by <see cref="Program"/> before BenchmarkDotNet runs (in
/// process) and stopped after it, so that XOAUTH2 and PLAIN are measured against the same Dovecot instance.
/// </summary>
public static class RunningStack
{
    private static MailStack? s_stack;

    /// <summary>The running stack.</summary>
    public static MailStack Stack => s_stack ?? throw new InvalidOperationException("The mail stack was not started.");

    /// <summary>The key Dovecot trusts.</summary>
    public static EmulatorSigningKey TrustedKey { get; } = new();

    /// <summary>Starts the stack and publishes <see cref="TrustedKey"/> to it.</summary>
    /// <returns>A task that completes when the stack listens.</returns>
    public static async Task StartAsync()
    {
        s_stack = await MailStack.StartAsync();
        DovecotKeyDirectory.Publish(s_stack.Endpoints.KeyDirectory, TrustedKey.KeyId, TrustedKey.ExportPublicKeyPem());
    }

    /// <summary>Stops the stack by pid.</summary>
    /// <returns>A task that completes when the servers are gone.</returns>
    public static async Task StopAsync()
    {
        if (s_stack is not null)
        {
            await s_stack.DisposeAsync();
        }

        TrustedKey.Dispose();
    }
}
