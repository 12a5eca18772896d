namespace XCally.ModernAuth;

/// <summary>Where the tokens of delegated accounts (access and refresh tokens) are kept between calls and restarts.</summary>
public enum TokenCacheStorage
{
    /// <summary>
    /// Files in a local folder (<see cref="TokenCacheOptions.Directory"/>), encrypted: the default for a single-instance host,
    /// so a restart does not force every mailbox to be authorized again. Several processes on one machine may share the folder.
    /// </summary>
    File = 0,

    /// <summary>Process memory only: a restart forgets every sign-in. For tests and hosts that authorize on every start.</summary>
    Memory = 1,

    /// <summary>
    /// The <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/> the host registers (Redis, SQL Server...),
    /// encrypted: for hosts on several machines, which must then share the Data Protection key ring.
    /// </summary>
    Distributed = 2,
}
