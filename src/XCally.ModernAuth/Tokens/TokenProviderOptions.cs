namespace XCally.ModernAuth;

/// <summary>How the token provider bounds its work: store lookups, idle tokens and calls to the identity platform.</summary>
public sealed class TokenProviderOptions
{
    /// <summary>
    /// How long a provider looked up in a store without a change signal (<see cref="ICloudProviderStore.GetChangeToken"/>) is
    /// used before it is looked up again, so that an edit made in the store is picked up. Default 1 minute. Stores with a
    /// change signal are looked up only after it fires.
    /// </summary>
    public TimeSpan StoreRecheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many background refreshes in a row may find a token unused before it stops being refreshed and is dropped (the
    /// next call is an ordinary first acquisition). Default 3: with tokens of an hour, about 90 minutes without a call.
    /// </summary>
    public int IdleRefreshLimit { get; set; } = 3;

    /// <summary>
    /// The longest a caller waits for the identity platform on one token acquisition, MSAL's own retries included; past it
    /// the acquisition fails as <see cref="ModernAuthErrorCategory.Transient"/> naming the host. Default 30 seconds.
    /// </summary>
    public TimeSpan IdentityRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
