namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>
/// The hosts a Salesforce secret or session may be sent to: the generic login hosts, My Domains (every partition: production,
/// <c>.sandbox.</c>, <c>.scratch.</c>, <c>.develop.</c>, <c>.demo.</c>, ...), Government Cloud Plus (<c>salesforce.mil</c>) and
/// Salesforce on Alibaba Cloud (<c>sfcrmproducts.cn</c>), and instance URLs of orgs without enhanced domains.
/// </summary>
internal static class SalesforceHosts
{
    public const string Production = "login.salesforce.com";
    public const string Sandbox = "test.salesforce.com";

    private static readonly string[] MyDomainSuffixes = [".my.salesforce.com", ".my.salesforce.mil", ".my.sfcrmproducts.cn"];
    private static readonly string[] InstanceSuffixes = [".salesforce.com", ".salesforce.mil", ".sfcrmproducts.cn"];

    /// <summary><c>login.salesforce.com</c> or <c>test.salesforce.com</c>, which serve every org but not client credentials.</summary>
    public static bool IsGenericLoginHost(string host) =>
        string.Equals(host, Production, StringComparison.OrdinalIgnoreCase) || string.Equals(host, Sandbox, StringComparison.OrdinalIgnoreCase);

    /// <summary>An org's My Domain, e.g. <c>contoso.my.salesforce.com</c> or <c>contoso--uat.sandbox.my.salesforce.com</c>.</summary>
    public static bool IsMyDomain(string host) =>
        MyDomainSuffixes.Any(suffix => host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && host.Length > suffix.Length);

    /// <summary>The Lightning UI host (<c>contoso.lightning.force.com</c>), which people paste from the browser.</summary>
    public static bool IsLightningHost(string host) => host.EndsWith(".lightning.force.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>A host an <c>instance_url</c> may have: a My Domain or an instance (<c>na123.salesforce.com</c>).</summary>
    public static bool IsInstanceHost(string host) =>
        IsMyDomain(host) || InstanceSuffixes.Any(suffix => host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && host.Length > suffix.Length);
}
