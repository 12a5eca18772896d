namespace XCally.ModernAuth;

/// <summary>
/// How the tokens of delegated accounts are stored. Entries are always encrypted with ASP.NET Core Data Protection (the host's
/// <c>services.AddDataProtection()</c>: its key storage and application name decide who can decrypt; hosts on several machines
/// must share the key ring, e.g. <c>PersistKeysToFileSystem</c> on a shared folder or <c>PersistKeysToStackExchangeRedis</c>,
/// and set the same <c>SetApplicationName</c>), with the purpose <see cref="DataProtectionPurpose"/>. An entry
/// that cannot be read (corrupt, or protected with a key the key ring does not hold) is a cache miss, and that account must be
/// authorized again. App-only tokens are kept in memory only: they are obtained again with the application's credential.
/// </summary>
public sealed class TokenCacheOptions
{
    /// <summary>The Data Protection purpose entries are protected with.</summary>
    public const string DataProtectionPurpose = "XCally.ModernAuth.TokenCache";

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
}
