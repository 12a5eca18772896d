using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Samples.Web.Data;

namespace XCally.ModernAuth.Samples.Web.Administrators;

/// <summary>
/// The local administrator: the password is kept only as a <see cref="PasswordHasher{TUser}"/> hash (PBKDF2 with a salt), set on
/// first run or from configuration; repeated wrong passwords lock the user name out for a while.
/// </summary>
public sealed class AdministratorAccounts(
    IDbContextFactory<AdminDbContext> databases,
    IOptions<AdministratorOptions> options,
    TimeProvider timeProvider,
    ILogger<AdministratorAccounts> logger)
{
    public const string Role = "Administrator";
    public const int MinimumPasswordLength = 12;
    private const int MaxFailures = 5;
    private static readonly TimeSpan Lockout = TimeSpan.FromMinutes(5);

    private readonly PasswordHasher<AdministratorRecord> _hasher = new();
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Since)> _failures = new(StringComparer.OrdinalIgnoreCase);

    public string UserName => options.Value.UserName;

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Administrators.AnyAsync(cancellationToken);
    }

    /// <summary>Applies <see cref="AdministratorOptions.Password"/>, when configured.</summary>
    public async Task ApplyConfiguredPasswordAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Password is { Length: > 0 } password)
        {
            var problem = CheckPassword(password);
            if (problem is not null)
            {
                throw new InvalidOperationException($"Admin:Password is not accepted: {problem}");
            }

            await SetPasswordAsync(password, cancellationToken);
            logger.LogInformation("The password of administrator '{UserName}' was set from the configuration.", UserName);
        }
    }

    /// <summary>Why a password is refused, or <see langword="null"/>.</summary>
    public static string? CheckPassword(string? password) =>
        string.IsNullOrEmpty(password) || password.Length < MinimumPasswordLength
            ? $"use at least {MinimumPasswordLength} characters"
            : null;

    public async Task SetPasswordAsync(string password, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var normalized = UserName.ToUpperInvariant();
        var record = await db.Administrators.SingleOrDefaultAsync(a => a.NormalizedUserName == normalized, cancellationToken);
        if (record is null)
        {
            record = new AdministratorRecord { UserName = UserName, NormalizedUserName = normalized };
            db.Administrators.Add(record);
        }

        record.PasswordHash = _hasher.HashPassword(record, password);
        record.PasswordSetOn = timeProvider.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Checks a sign-in; on success, the principal to put in the cookie.</summary>
    public async Task<(ClaimsPrincipal? Principal, string? Problem)> SignInAsync(string? userName, string? password, CancellationToken cancellationToken)
    {
        const string Refused = "The user name or password is wrong.";
        var name = userName?.Trim() ?? string.Empty;
        var now = timeProvider.GetUtcNow();
        if (_failures.TryGetValue(name, out var failures) && failures.Failures >= MaxFailures && now - failures.Since < Lockout)
        {
            return (null, $"Too many wrong passwords: try again after {(failures.Since + Lockout).ToLocalTime():HH:mm}.");
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var normalized = name.ToUpperInvariant();
        var record = await db.Administrators.AsNoTracking().SingleOrDefaultAsync(a => a.NormalizedUserName == normalized, cancellationToken);
        var result = record is null || string.IsNullOrEmpty(password)
            ? PasswordVerificationResult.Failed
            : _hasher.VerifyHashedPassword(record, record.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            _failures.AddOrUpdate(name, (1, now), (_, seen) => now - seen.Since < Lockout ? (seen.Failures + 1, seen.Since) : (1, now));
            logger.LogWarning("Refused a sign-in as administrator '{UserName}'.", name);
            return (null, Refused);
        }

        _failures.TryRemove(name, out _);
        logger.LogInformation("Administrator '{UserName}' signed in.", record!.UserName);
        return (Principal(record.UserName, "local"), null);
    }

    public static ClaimsPrincipal Principal(string name, string method) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, Role), new Claim("amr", method)],
            "XCallyAdmin",
            ClaimTypes.Name,
            ClaimTypes.Role));
}
