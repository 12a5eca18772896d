namespace XCally.ModernAuth;

/// <summary>Where an <see cref="AccessToken"/> came from.</summary>
public enum TokenSource
{
    /// <summary>From the SDK's cache, without a call to the identity platform.</summary>
    Cache = 0,

    /// <summary>From a request to the identity platform.</summary>
    IdentityProvider = 1,
}
