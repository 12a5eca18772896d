using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>The package's claim on <c>Service: Salesforce</c> entries, registered once by <c>AddSalesforce()</c>.</summary>
internal sealed class SalesforceServiceRegistration
{
    public CloudServiceRegistration Service { get; } = new(SalesforceDefaults.ServiceName, "SFDC");
}
