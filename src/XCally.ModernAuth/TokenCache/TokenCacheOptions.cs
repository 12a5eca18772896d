namespace XCally.ModernAuth;

/// <summary>
/// How the tokens of delegated accounts are stored. Entries are always encrypted with ASP.NET Core Data Protection (the host's
/// <c>services.AddDataProtection()</c>: its key storage and application name decide who can decrypt; hosts on several machines
/// must share the key ring, e.g. <c>PersistKeysToFileSystem</c> on a shared folder or <c>PersistKeysToStackExchangeRedis</c>,
/// and set the same <c>SetApplicationName</c>), with the purpose <see cref="DataProtectionPurpose"/>. An entry
/// that cannot be read (corrupt, or protected with a key the key ring does not hold) is a cache miss, and that account must be
/// authorized again. App-only tokens are kept in memory only unless <see cref="CacheAppOnlyTokens"/> is set.
/// </summary>
/// <remarks>
/// The store is the second level: every entry is also kept in the process's memory, which serves while the store cannot be
/// reached. A read or write of the store is bounded by <see cref="DistributedCacheTimeout"/>, and after repeated failures the
/// store is not called at all for <see cref="DistributedCacheBreakDuration"/> (a circuit breaker), so that an outage of the
/// store costs a mail operation nothing measurable. A write that failed never fails the token acquisition it follows: the
/// entry is kept in memory and written again every <see cref="WriteRetryInterval"/> until the store takes it, and an entry the
/// store lost (Redis restarted empty) while this process still holds it is written back.
/// </remarks>
public sealed class TokenCacheOptions
{
    /// <summary>The Data Protection purpose entries are protected with.</summary>
    public const string DataProtectionPurpose = "XCally.ModernAuth.TokenCache";

    /// <summary>
    /// The key of the keyed <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/> service the SDK uses for
    /// <see cref="TokenCacheStorage.Distributed"/> when one is registered under it (the Redis package does); otherwise the
    /// host's unkeyed <c>IDistributedCache</c>.
    /// </summary>
    public const string DistributedCacheServiceKey = "XCally.ModernAuth.TokenCache";

    /// <summary>Where entries are kept. Default <see cref="TokenCacheStorage.File"/>.</summary>
    public TokenCacheStorage Storage { get; set; } = TokenCacheStorage.File;

    /// <summary>
    /// The folder of <see cref="TokenCacheStorage.File"/>; one file per account. Default <see cref="DefaultDirectory"/>.
    /// Give the host's service account (and only it) access to the folder.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>
    /// The default folder of <see cref="TokenCacheStorage.File"/>: <c>XCally.ModernAuth/TokenCache</c> under the user's local
    /// application data (<c>%LOCALAPPDATA%</c> on Windows, <c>~/.local/share</c> elsewhere), or <see langword="null"/> when
    /// the account has no such folder (set <see cref="Directory"/> then).
    /// </summary>
    public static string? DefaultDirectory
    {
        get
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return string.IsNullOrEmpty(root) ? null : Path.Combine(root, "XCally.ModernAuth", "TokenCache");
        }
    }

    /// <summary>
    /// The longest one read, write or lock request to the store (a distributed cache; files are not bounded) may take before
    /// the SDK carries on with its in-memory copy. Default 500 milliseconds.
    /// </summary>
    public TimeSpan DistributedCacheTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// After failures of at least half the requests to the distributed cache (two or more within 30 seconds), how long the SDK
    /// stops calling it and works from memory before it tries again. Default 15 seconds.
    /// </summary>
    public TimeSpan DistributedCacheBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an entry the store could not take is written again. Default 5 seconds.</summary>
    public TimeSpan WriteRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an instance waits for another one that is redeeming the same account's refresh token (with an
    /// <see cref="ITokenRefreshLock"/>) before it goes ahead without it. Default 45 seconds: longer than a redemption may take
    /// (<see cref="TokenProviderOptions.IdentityRequestTimeout"/>, 30 seconds by default).
    /// </summary>
    public TimeSpan RefreshLockTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// Whether app-only tokens are kept in the store too (encrypted like delegated entries, one entry per app registration), so
    /// that an instance restarted while the identity platform cannot be reached still serves a token that is valid. Default
    /// <see langword="false"/>: app-only tokens are kept in memory and obtained again with the application's credential.
    /// </summary>
    public bool CacheAppOnlyTokens { get; set; }
}
