namespace XCally.ModernAuth.Internal;

/// <summary>
/// Which MSAL client an account's tokens were obtained with: refresh tokens from a public client flow (device code) are
/// redeemed by a public client, those from the authorization code flow by the confidential client.
/// </summary>
internal enum DelegatedClientKind : byte
{
    Confidential = 1,
    Public = 2,
}
