using Microsoft.EntityFrameworkCore;

namespace XCally.ModernAuth.Samples.Web.Data;

/// <summary>
/// The console's database: cloud providers, email accounts and the local administrator. Enums are stored by name, so rows read
/// the same to a person looking at the database; every name is unique ignoring case through its normalized column.
/// </summary>
public abstract class AdminDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<CloudProviderRecord> CloudProviders => Set<CloudProviderRecord>();

    public DbSet<EmailAccountRecord> EmailAccounts => Set<EmailAccountRecord>();

    public DbSet<AdministratorRecord> Administrators => Set<AdministratorRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<CloudProviderRecord>(provider =>
        {
            provider.ToTable("CloudProviders");
            provider.Property(p => p.Name).HasMaxLength(64);
            provider.Property(p => p.NormalizedName).HasMaxLength(64);
            provider.HasIndex(p => p.NormalizedName).IsUnique();
            provider.Property(p => p.Service).HasConversion<string>().HasMaxLength(32);
            provider.Property(p => p.Cloud).HasConversion<string>().HasMaxLength(32);
            provider.Property(p => p.Flow).HasConversion<string>().HasMaxLength(32);
            provider.Property(p => p.CredentialKind).HasConversion<string>().HasMaxLength(32);
            provider.Property(p => p.SalesforceAppType).HasConversion<string>().HasMaxLength(32);
            provider.Property(p => p.SalesforceFlow).HasConversion<string>().HasMaxLength(32);
            provider.Property(p => p.TenantId).HasMaxLength(256);
            provider.Property(p => p.ClientId).HasMaxLength(64);
            provider.Property(p => p.RedirectUri).HasMaxLength(2048);
            provider.Property(p => p.AuthorityHost).HasMaxLength(2048);
            provider.Property(p => p.LoginUrl).HasMaxLength(2048);
            provider.Property(p => p.ConsumerKey).HasMaxLength(512);
            provider.Property(p => p.Username).HasMaxLength(256);
            provider.Property(p => p.CertificateThumbprint).HasMaxLength(128);
            provider.Property(p => p.CertificateSubject).HasMaxLength(1024);
            provider.Property(p => p.Version).IsConcurrencyToken();
            provider.HasMany(p => p.Accounts).WithOne(a => a.CloudProvider!).HasForeignKey(a => a.CloudProviderId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<EmailAccountRecord>(account =>
        {
            account.ToTable("EmailAccounts");
            account.Property(a => a.Address).HasMaxLength(320);
            account.Property(a => a.NormalizedAddress).HasMaxLength(320);
            account.HasIndex(a => a.NormalizedAddress).IsUnique();
            account.Property(a => a.UserName).HasMaxLength(320);
            account.Property(a => a.Version).IsConcurrencyToken();
            foreach (var (navigation, prefix) in new (System.Linq.Expressions.Expression<Func<EmailAccountRecord, MailEndpointRecord?>>, string)[]
                { (a => a.Imap, "Imap"), (a => a.Pop3, "Pop3"), (a => a.Smtp, "Smtp") })
            {
                account.OwnsOne(navigation!, endpoint =>
                {
                    endpoint.Property(e => e.Enabled).HasColumnName(prefix + "Enabled");
                    endpoint.Property(e => e.Host).HasColumnName(prefix + "Host").HasMaxLength(253);
                    endpoint.Property(e => e.Port).HasColumnName(prefix + "Port");
                    endpoint.Property(e => e.TlsMode).HasColumnName(prefix + "TlsMode").HasConversion<string>().HasMaxLength(32);
                });
                account.Navigation(navigation!).IsRequired();
            }
        });

        modelBuilder.Entity<AdministratorRecord>(administrator =>
        {
            administrator.ToTable("Administrators");
            administrator.Property(a => a.UserName).HasMaxLength(256);
            administrator.Property(a => a.NormalizedUserName).HasMaxLength(256);
            administrator.HasIndex(a => a.NormalizedUserName).IsUnique();
        });
    }
}

/// <summary>The database on SQLite (the default: a file in the data folder); its migrations are under Data/Migrations/Sqlite.</summary>
public sealed class SqliteAdminDbContext(DbContextOptions<SqliteAdminDbContext> options) : AdminDbContext(options);

/// <summary>The database on PostgreSQL (<c>Database:Provider</c> = <c>PostgreSql</c>); its migrations are under Data/Migrations/PostgreSql.</summary>
public sealed class PostgreSqlAdminDbContext(DbContextOptions<PostgreSqlAdminDbContext> options) : AdminDbContext(options);
