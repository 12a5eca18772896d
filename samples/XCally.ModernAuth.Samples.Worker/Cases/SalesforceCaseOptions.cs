namespace XCally.ModernAuth.Samples.Worker;

/// <summary>Settings of the Salesforce Case handler, bound from <c>EmailChannel:SalesforceCases</c>.</summary>
public sealed class SalesforceCaseOptions
{
    /// <summary>The Salesforce provider (a <c>Service: Salesforce</c> entry of <c>XCallyModernAuth:CloudProviders</c>). Default <c>salesforce</c>.</summary>
    public string CloudProvider { get; set; } = "salesforce";

    /// <summary>The Case's <c>Origin</c>. Default <c>Email</c>.</summary>
    public string Origin { get; set; } = "Email";
}
