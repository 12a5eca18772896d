using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace XCally.ModernAuth.Samples.Web.Data;

/// <summary>Registers the console's database: a singleton <see cref="IDbContextFactory{TContext}"/> of <see cref="AdminDbContext"/>.</summary>
public static class DatabaseServiceCollectionExtensions
{
    public static IServiceCollection AddAdminDatabase(this IServiceCollection services, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<StoreChangeInterceptor>();
        if (options.Provider == DatabaseProvider.PostgreSql)
        {
            var connectionString = options.ConnectionString ?? throw new InvalidOperationException(
                "Database:Provider is PostgreSql but Database:ConnectionString is not set; set it (from a secret store or an environment variable, Database__ConnectionString).");
            services.AddDbContextFactory<PostgreSqlAdminDbContext>((sp, db) => db
                .UseNpgsql(connectionString)
                .AddInterceptors(sp.GetRequiredService<StoreChangeInterceptor>()));
            services.AddSingleton<IDbContextFactory<AdminDbContext>>(sp =>
                new AdminDbContextFactory<PostgreSqlAdminDbContext>(sp.GetRequiredService<IDbContextFactory<PostgreSqlAdminDbContext>>()));
        }
        else
        {
            services.AddDbContextFactory<SqliteAdminDbContext>((sp, db) => db
                .UseSqlite(options.ConnectionString)
                .AddInterceptors(sp.GetRequiredService<StoreChangeInterceptor>()));
            services.AddSingleton<IDbContextFactory<AdminDbContext>>(sp =>
                new AdminDbContextFactory<SqliteAdminDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteAdminDbContext>>()));
        }

        return services;
    }

    /// <summary>Hands out the engine's own context type as the <see cref="AdminDbContext"/> the rest of the console uses.</summary>
    private sealed class AdminDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AdminDbContext>
        where TContext : AdminDbContext
    {
        public AdminDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<AdminDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite context without starting the console.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAdminDbContext>
{
    public SqliteAdminDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAdminDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL context without a server.</summary>
public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlAdminDbContext>
{
    public PostgreSqlAdminDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlAdminDbContext>().UseNpgsql("Host=localhost;Database=design_time").Options);
}
