namespace XCally.ModernAuth.InteropTests.Clients;

/// <summary>The SASL mechanism a bearer token is sent with.</summary>
public enum OAuthMechanism
{
    /// <summary>Google/Microsoft XOAUTH2.</summary>
    XOAuth2,

    /// <summary>RFC 7628 OAUTHBEARER.</summary>
    OAuthBearer,
}
