namespace XCally.ModernAuth.InteropTests.Tokens;

/// <summary>
/// Seam: where the interop tests get a valid access token for a mailbox. Today <see cref="MintedTokenSource"/> mints it in the
/// test; with the SDK, an implementation over the <c>ITokenProvider</c> that <c>AddXCallyModernAuth</c> registers (backed by the
/// identity emulator, whose <c>EmulatorSigningKey</c> the stack trusts) replaces it.
/// </summary>
public interface IInteropTokenSource
{
    /// <summary>Gets a token the stack accepts for <paramref name="mailbox"/>.</summary>
    /// <param name="mailbox">The mailbox address.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The compact JWT.</returns>
    ValueTask<string> GetAccessTokenAsync(string mailbox, CancellationToken cancellationToken = default);
}
