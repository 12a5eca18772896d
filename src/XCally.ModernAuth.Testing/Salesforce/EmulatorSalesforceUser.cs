namespace XCally.ModernAuth.Testing;

/// <summary>A user of the emulated Salesforce org: the integration (Run As) user, or an API user of the username-password flow.</summary>
public sealed class EmulatorSalesforceUser
{
    internal EmulatorSalesforceUser(string id, string username, string password, string securityToken)
    {
        Id = id;
        Username = username;
        Password = password;
        SecurityToken = securityToken;
    }

    /// <summary>The user's record id (<c>005...</c>).</summary>
    public string Id { get; }

    /// <summary>The username.</summary>
    public string Username { get; }

    /// <summary>The password (the username-password flow sends it followed by <see cref="SecurityToken"/>).</summary>
    public string Password { get; }

    /// <summary>The security token.</summary>
    public string SecurityToken { get; }

    /// <summary>Whether the user is active; an inactive user gets <c>inactive_user</c>.</summary>
    public bool IsActive { get; set; } = true;

    /// <inheritdoc />
    public override string ToString() => $"EmulatorSalesforceUser {Username}";
}
