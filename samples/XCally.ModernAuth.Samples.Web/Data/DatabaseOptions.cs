namespace XCally.ModernAuth.Samples.Web.Data;

/// <summary>The <c>Database</c> section: which database holds providers and accounts.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><see cref="DatabaseProvider.Sqlite"/> (default) or <see cref="DatabaseProvider.PostgreSql"/>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// The connection string. For SQLite, default <c>Data Source={data folder}/admin-console.db</c> (<c>demo.db</c> on the
    /// emulator); required for PostgreSQL, e.g. <c>Host=db;Database=xcally;Username=xcally;Password=...</c> from a secret store.
    /// </summary>
    public string? ConnectionString { get; set; }
}

/// <summary>The database engines the console has migrations for.</summary>
public enum DatabaseProvider
{
    Sqlite = 0,
    PostgreSql = 1,
}
