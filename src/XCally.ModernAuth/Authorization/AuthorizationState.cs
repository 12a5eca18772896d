using System.Text.Json.Serialization;

namespace XCally.ModernAuth.Internal;

/// <summary>What a started sign-in keeps on the server under its <c>state</c>: whose it is, and the PKCE verifier.</summary>
internal sealed record AuthorizationState(
    string CloudProviderName,
    string AccountAddress,
    string UserName,
    string RedirectUri,
    string CodeVerifier,
    DateTimeOffset ExpiresOn)
{
    /// <summary>The user whose sign-in serves the account (an agent serving a shared mailbox), when not the mailbox's own user.</summary>
    public string? SignInUser { get; init; }

    // The verifier is a secret until the code is redeemed.
    public override string ToString() => $"AuthorizationState for {AccountAddress} (provider {CloudProviderName}), expires {ExpiresOn:O}";
}

/// <summary>Serializes <see cref="AuthorizationState"/> without reflection.</summary>
[JsonSerializable(typeof(AuthorizationState))]
internal sealed partial class AuthorizationStateJsonContext : JsonSerializerContext;
