namespace XCally.ModernAuth.Testing;

/// <summary>A user who can sign in to the emulator's identity platform.</summary>
public sealed class EmulatorUser
{
    internal EmulatorUser(EmulatorTenant tenant, string userPrincipalName, string objectId, string displayName)
    {
        Tenant = tenant;
        UserPrincipalName = userPrincipalName;
        ObjectId = objectId;
        DisplayName = displayName;
    }

    /// <summary>The user's tenant.</summary>
    public EmulatorTenant Tenant { get; }

    /// <summary>The user's sign-in name (the <c>upn</c> claim).</summary>
    public string UserPrincipalName { get; }

    /// <summary>The user's object id (the <c>oid</c> claim).</summary>
    public string ObjectId { get; }

    /// <summary>The user's display name.</summary>
    public string DisplayName { get; }

    /// <summary>When <see langword="false"/>, refresh tokens and sign-ins for this user are refused (a revoked grant, a password reset).</summary>
    public bool Enabled { get; set; } = true;

    /// <inheritdoc />
    public override string ToString() => UserPrincipalName;
}
