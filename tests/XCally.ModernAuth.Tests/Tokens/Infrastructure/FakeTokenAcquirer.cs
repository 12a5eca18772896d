using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Tests.Tokens.Infrastructure;

/// <summary>
/// A hand-written <see cref="ITokenAcquirer"/> for the token slot's tests: each call runs <see cref="Acquire"/> and is counted.
/// (The interface is internal; a hand-written fake keeps the shipped assembly free of a mocking library's proxy assembly.)
/// </summary>
internal sealed class FakeTokenAcquirer : ITokenAcquirer
{
    private int _calls;

    public string ProviderName { get; init; } = "contoso";

    /// <summary>What a call returns, given the token it replaces and the call's cancellation token.</summary>
    public Func<AccessToken?, CancellationToken, Task<AccessToken>> Acquire { get; set; } =
        (_, _) => Task.FromException<AccessToken>(new InvalidOperationException("The test set no answer."));

    public int Calls => Volatile.Read(ref _calls);

    public Task<AccessToken> AcquireAsync(AccessToken? replacing, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Acquire(replacing, cancellationToken);
    }
}
