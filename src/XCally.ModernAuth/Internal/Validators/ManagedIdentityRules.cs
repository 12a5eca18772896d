namespace XCally.ModernAuth.Internal;

/// <summary>The checks of a managed identity credential (<c>ManagedIdentity</c>, <c>FederatedManagedIdentity</c>).</summary>
internal static class ManagedIdentityRules
{
    private const string ResourceIdShape = "/subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>";

    /// <summary>
    /// The client id the provider is known by: its <c>ClientId</c>, or for a managed identity without one the user-assigned
    /// identity's client id (the same application id).
    /// </summary>
    public static string? EffectiveClientId(CloudProviderOptions options) =>
        string.IsNullOrWhiteSpace(options.ClientId) && options.ManagedIdentity?.ClientId is { Length: > 0 } identity
            ? identity
            : options.ClientId;

    /// <summary>The provider's ClientId with a managed identity: the identity's own application id, given or taken from it.</summary>
    public static void ValidateClientId(string path, CloudProviderOptions options, ValidationProblems problems)
    {
        if (!string.IsNullOrWhiteSpace(options.ManagedIdentity?.ClientId) && string.IsNullOrWhiteSpace(options.ClientId))
        {
            // Taken from the user-assigned identity, whose id is checked with it.
            return;
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            problems.Add(path, "missing; with a managed identity set the identity's Application ID (Microsoft Entra admin center, Enterprise applications, Application type Managed Identities), which New-ServicePrincipal -AppId takes too");
        }
        else if (!Guid.TryParse(options.ClientId, out _))
        {
            problems.Add(path, $"'{options.ClientId}' is not a GUID; set the managed identity's Application ID (Enterprise applications, Application type Managed Identities)");
        }
    }

    /// <summary>The validated options as the model's identity.</summary>
    public static ManagedIdentity ToIdentity(ManagedIdentityOptions options) =>
        !string.IsNullOrWhiteSpace(options.ClientId) ? ManagedIdentity.UserAssignedByClientId(options.ClientId)
        : !string.IsNullOrWhiteSpace(options.ResourceId) ? ManagedIdentity.UserAssignedByResourceId(options.ResourceId)
        : ManagedIdentity.SystemAssigned;

    public static void ValidateManagedIdentity(string path, CloudProviderOptions options, ValidationProblems problems)
    {
        var identityPath = ValidationProblems.Path(path, "ManagedIdentity");
        ValidateIdentity(identityPath, options.ManagedIdentity!, problems);
        if (options.Flow == AuthFlow.Delegated)
        {
            problems.Add(
                ValidationProblems.Path(path, "Flow"),
                "a managed identity gets app-only tokens only; use Flow AppOnly, or for a signed-in mailbox user an app registration with FederatedManagedIdentity, a certificate or a secret");
        }

        if (options.ManagedIdentity!.ClientId is { Length: > 0 } identity && !string.IsNullOrWhiteSpace(options.ClientId)
            && !string.Equals(identity.Trim(), options.ClientId.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(
                ValidationProblems.Path(path, "ClientId"),
                $"'{options.ClientId}' differs from ManagedIdentity:ClientId '{identity}'; a managed identity signs in as itself, so its client id is the provider's: remove ClientId");
        }
    }

    public static void ValidateIdentity(string path, ManagedIdentityOptions options, ValidationProblems problems)
    {
        var hasClientId = !string.IsNullOrWhiteSpace(options.ClientId);
        var hasResourceId = !string.IsNullOrWhiteSpace(options.ResourceId);
        if (hasClientId && hasResourceId)
        {
            problems.Add(path, "ClientId and ResourceId are both set; name a user-assigned identity by one of them, or set neither (the value SystemAssigned) for the system-assigned identity");
            return;
        }

        if (hasClientId && !Guid.TryParse(options.ClientId, out _))
        {
            problems.Add(ValidationProblems.Path(path, "ClientId"), $"'{options.ClientId}' is not a GUID; copy the Client ID from the user-assigned managed identity's Overview page");
        }

        if (hasResourceId && !IsResourceId(options.ResourceId!))
        {
            problems.Add(ValidationProblems.Path(path, "ResourceId"), $"'{options.ResourceId}' is not the resource id of a user-assigned managed identity ({ResourceIdShape}); copy it from the identity's Properties page");
        }
    }

    private static bool IsResourceId(string value) =>
        value.Trim().StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase)
        && value.Contains("/providers/Microsoft.ManagedIdentity/userAssignedIdentities/", StringComparison.OrdinalIgnoreCase);
}
