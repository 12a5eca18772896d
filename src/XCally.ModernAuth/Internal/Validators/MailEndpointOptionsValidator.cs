namespace XCally.ModernAuth.Internal;

/// <summary>The checks of one protocol's endpoint; a disabled protocol is not checked.</summary>
internal static class MailEndpointOptionsValidator
{
    public static void Validate(string path, MailEndpointOptions? options, ValidationProblems problems)
    {
        if (options is null)
        {
            problems.Add(path, "missing; remove the null to use the cloud's default endpoint");
            return;
        }

        if (!options.Enabled)
        {
            return;
        }

        if (options.Host is not null && string.IsNullOrWhiteSpace(options.Host))
        {
            problems.Add(ValidationProblems.Path(path, "Host"), "empty; set the server's host name, or remove it to use the cloud's default");
        }

        if (options.Port is { } port and (< 1 or > 65535))
        {
            problems.Add(ValidationProblems.Path(path, "Port"), $"{port} is out of range; use 1 to 65535");
        }

        if (options.TlsMode == MailTlsMode.None)
        {
            problems.Add(ValidationProblems.Path(path, "TlsMode"), "None is refused, because bearer tokens must not cross a clear-text connection; use Implicit or StartTls");
        }
        else if (options.TlsMode is { } tlsMode)
        {
            EnumRules.Defined(tlsMode, ConfigurationEnums.TlsMode, ValidationProblems.Path(path, "TlsMode"), problems);
        }
    }
}
