namespace XCally.ModernAuth;

/// <summary>The national cloud a tenant lives in. It fixes the sign-in host, the token resource and the default mail hosts.</summary>
public enum CloudEnvironment
{
    /// <summary>The worldwide cloud: <c>login.microsoftonline.com</c>, <c>outlook.office365.com</c>.</summary>
    Global = 0,

    /// <summary>US Government GCC High: <c>login.microsoftonline.us</c>, <c>outlook.office365.us</c>.</summary>
    UsGovernment = 1,

    /// <summary>US Government DoD: <c>login.microsoftonline.us</c>, <c>outlook-dod.office365.us</c>.</summary>
    UsGovernmentDoD = 2,

    /// <summary>China, operated by 21Vianet: <c>login.chinacloudapi.cn</c>, <c>partner.outlook.cn</c>.</summary>
    China = 3,
}
