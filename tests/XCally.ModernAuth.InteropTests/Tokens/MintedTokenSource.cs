namespace XCally.ModernAuth.InteropTests.Tokens;

/// <summary>Valid tokens minted in the test with the key the stack trusts.</summary>
/// <param name="minter">The minter holding that key.</param>
public sealed class MintedTokenSource(TestTokenMinter minter) : IInteropTokenSource
{
    /// <inheritdoc />
    public ValueTask<string> GetAccessTokenAsync(string mailbox, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(minter.Mint(mailbox));
}
