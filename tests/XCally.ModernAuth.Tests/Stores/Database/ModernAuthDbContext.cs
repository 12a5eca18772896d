using Microsoft.EntityFrameworkCore;

namespace XCally.ModernAuth.Tests.Stores.Database;

/// <summary>A host's own database of Cloud Providers and email accounts, as the "Custom stores" section of the docs shows it.</summary>
public sealed class ModernAuthDbContext(DbContextOptions<ModernAuthDbContext> options) : DbContext(options)
{
    public DbSet<CloudProviderRow> CloudProviders => Set<CloudProviderRow>();

    public DbSet<EmailAccountRow> EmailAccounts => Set<EmailAccountRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Names and addresses are compared case-insensitively, as the SDK asks of a store.
        modelBuilder.Entity<CloudProviderRow>().Property(row => row.Name).UseCollation("NOCASE");
        modelBuilder.Entity<CloudProviderRow>().HasIndex(row => row.Name).IsUnique();
        modelBuilder.Entity<EmailAccountRow>().Property(row => row.Address).UseCollation("NOCASE");
        modelBuilder.Entity<EmailAccountRow>().HasIndex(row => row.Address).IsUnique();
    }
}

public sealed class CloudProviderRow
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public required string TenantId { get; set; }

    public required string ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public AuthFlow Flow { get; set; }

    public string? AuthorityHost { get; set; }
}

public sealed class EmailAccountRow
{
    public int Id { get; set; }

    public required string Address { get; set; }

    public required string CloudProviderName { get; set; }

    public string? UserName { get; set; }
}
