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
        else if (options.Host is { } host && HostProblem(host) is { } problem)
        {
            problems.Add(ValidationProblems.Path(path, "Host"), problem);
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

    // A host name, not a URL or host:port: "imaps://outlook.office365.com" would otherwise fail at every connect.
    private static string? HostProblem(string host)
    {
        if (host.Contains("://", StringComparison.Ordinal))
        {
            var name = Uri.TryCreate(host, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : "outlook.office365.com";
            return $"'{host}' is a URL; set only the host name, e.g. {name} (the port goes in Port, TLS in TlsMode)";
        }

        var colon = host.LastIndexOf(':');
        if (colon > 0 && !host.Contains(']', StringComparison.Ordinal) && host.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            return $"'{host}' holds a port; set the host name {host[..colon]} here and the port {host[(colon + 1)..]} in Port";
        }

        return Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown
            ? $"'{host}' is not a host name or address; use a name such as outlook.office365.com"
            : null;
    }
}
