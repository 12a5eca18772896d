namespace XCally.ModernAuth.Samples.Web.Data;

/// <summary>The local administrator: a user name and a password hash (ASP.NET Core Identity's <c>PasswordHasher</c>, PBKDF2).</summary>
public sealed class AdministratorRecord
{
    public int Id { get; set; }

    public string UserName { get; set; } = string.Empty;

    public string NormalizedUserName { get; set; } = string.Empty;

    public string PasswordHash { get; set; } = string.Empty;

    public DateTimeOffset PasswordSetOn { get; set; }
}
