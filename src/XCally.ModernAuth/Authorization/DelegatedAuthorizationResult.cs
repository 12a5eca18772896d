namespace XCally.ModernAuth;

/// <summary>A completed delegated sign-in: the account whose tokens are now stored and who signed in.</summary>
public sealed class DelegatedAuthorizationResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="accountAddress">The account authorized.</param>
    /// <param name="cloudProviderName">Its cloud provider.</param>
    /// <param name="signedInUser">The user who signed in (their <c>preferred_username</c>).</param>
    public DelegatedAuthorizationResult(string accountAddress, string cloudProviderName, string signedInUser)
    {
        AccountAddress = accountAddress;
        CloudProviderName = cloudProviderName;
        SignedInUser = signedInUser;
    }

    /// <summary>The account authorized.</summary>
    public string AccountAddress { get; }

    /// <summary>Its cloud provider.</summary>
    public string CloudProviderName { get; }

    /// <summary>The user who signed in.</summary>
    public string SignedInUser { get; }

    /// <inheritdoc />
    public override string ToString() => $"{AccountAddress} (provider {CloudProviderName}) authorized by {SignedInUser}";
}
