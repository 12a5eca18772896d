using System.Security.Cryptography.X509Certificates;

namespace XCally.ModernAuth.Internal;

/// <summary>The enum vocabulary of the configuration section, with the aliases people actually type.</summary>
internal static class ConfigurationEnums
{
    public static readonly ConfigurationEnumNames<CloudService> Service = new("cloud service");

    public static readonly ConfigurationEnumNames<CloudProviderType> ProviderType = new("cloud provider type", ("Outlook365", CloudProviderType.Office365));

    public static readonly ConfigurationEnumNames<CloudEnvironment> Cloud = new(
        "cloud",
        ("AzurePublic", CloudEnvironment.Global),
        ("AzureUsGovernment", CloudEnvironment.UsGovernment),
        ("AzureChina", CloudEnvironment.China));

    public static readonly ConfigurationEnumNames<AuthFlow> Flow = new("flow", ("ClientCredentials", AuthFlow.AppOnly));

    public static readonly ConfigurationEnumNames<MailTransport> Transport = new(
        "mail transport",
        ("ImapSmtp", MailTransport.Imap),
        ("MicrosoftGraph", MailTransport.Graph));

    public static readonly ConfigurationEnumNames<MailTlsMode> TlsMode = new("TLS mode");

    public static readonly ConfigurationEnumNames<StoreLocation> StoreLocation = new("certificate store location");

    public static readonly ConfigurationEnumNames<StoreName> StoreName = new("certificate store name");
}
