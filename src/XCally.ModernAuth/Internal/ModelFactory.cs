namespace XCally.ModernAuth.Internal;

/// <summary>
/// Turns options into validated, immutable model objects, running the same checks as start-up validation and throwing one
/// <see cref="ModernAuthException"/> that lists every problem.
/// </summary>
internal static class ModelFactory
{
    public static CloudProvider CreateCloudProvider(string name, CloudProviderOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        return CreateCloudProvider(name, options, options.ConfigurationPath ?? ValidationProblems.Path("CloudProviders", name), TimeProvider.System.GetUtcNow());
    }

    public static CloudProvider CreateCloudProvider(string name, CloudProviderOptions options, string path, DateTimeOffset now)
    {
        var problems = new ValidationProblems();
        var certificate = CloudProviderOptionsValidator.Validate(path, options, now, problems);
        if (problems.Count > 0)
        {
            certificate?.Dispose();
            throw new ModernAuthException(ModernAuthErrorCategory.InvalidConfiguration, $"The cloud provider '{name}' is not valid: {problems}")
            {
                CloudProviderName = name,
            };
        }

        ProviderCredential credential = certificate is not null
            ? new CertificateCredential(certificate, options.Certificate!.SendX5C)
            : options.ClientAssertion is { } assertion
                ? new ClientAssertionCredential(assertion)
                : new ClientSecretCredential(options.ClientSecret!.Trim(), options.SecretExpiresOn);

        var scopes = options.Scopes.Count > 0
            ? options.Scopes.Select(scope => scope.Trim()).ToArray()
            : CloudEnvironmentDefaults.GetDefaultScopes(options.Cloud, options.Flow);

        return new CloudProvider(
            name,
            options.Service,
            options.Type,
            options.TenantId!.Trim(),
            options.ClientId!.Trim(),
            credential,
            options.Cloud,
            options.Flow,
            string.IsNullOrWhiteSpace(options.RedirectUri) ? null : new Uri(options.RedirectUri, UriKind.Absolute),
            AuthorityHost(options),
            options.AllowNonMicrosoftAuthority,
            scopes);
    }

    public static EmailAccount CreateEmailAccount(EmailAccountOptions options, CloudProvider provider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(provider);
        return CreateEmailAccount(options, provider, options.ConfigurationPath ?? ValidationProblems.Path("EmailAccounts", options.Address ?? string.Empty));
    }

    public static EmailAccount CreateEmailAccount(EmailAccountOptions options, CloudProvider provider, string path)
    {
        var problems = new ValidationProblems();
        EmailAccountOptionsValidator.Validate(path, options, problems);
        if (options.CloudProvider is not null && !string.Equals(options.CloudProvider, provider.Name, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(ValidationProblems.Path(path, "CloudProvider"), $"'{options.CloudProvider}' does not match the provider given, '{provider.Name}'");
        }

        if (problems.Count > 0)
        {
            throw new ModernAuthException(ModernAuthErrorCategory.InvalidConfiguration, $"The email account '{options.Address}' is not valid: {problems}")
            {
                AccountAddress = options.Address,
                CloudProviderName = provider.Name,
            };
        }

        var address = options.Address!.Trim();
        return new EmailAccount(
            address,
            options.UserName?.Trim() ?? address,
            provider.Name,
            Endpoint(options.Imap, provider.Cloud, MailProtocol.Imap),
            Endpoint(options.Pop3, provider.Cloud, MailProtocol.Pop3),
            Endpoint(options.Smtp, provider.Cloud, MailProtocol.Smtp));
    }

    /// <summary>
    /// Whether two providers would behave the same, so that a configuration reload that did not touch a provider keeps its
    /// instance (and with it the token provider's client and cache) instead of replacing it.
    /// </summary>
    public static bool HaveSameSettings(CloudProvider current, CloudProvider candidate) =>
        string.Equals(current.Name, candidate.Name, StringComparison.Ordinal)
        && current.Service == candidate.Service
        && current.Type == candidate.Type
        && string.Equals(current.TenantId, candidate.TenantId, StringComparison.Ordinal)
        && string.Equals(current.ClientId, candidate.ClientId, StringComparison.Ordinal)
        && current.Cloud == candidate.Cloud
        && current.Flow == candidate.Flow
        && current.RedirectUri == candidate.RedirectUri
        && current.AuthorityHost == candidate.AuthorityHost
        && current.AllowNonMicrosoftAuthority == candidate.AllowNonMicrosoftAuthority
        && current.Scopes.SequenceEqual(candidate.Scopes, StringComparer.Ordinal)
        && HaveSameCredential(current.Credential, candidate.Credential);

    /// <summary>Whether two accounts would behave the same (see <see cref="HaveSameSettings(CloudProvider, CloudProvider)"/>).</summary>
    public static bool HaveSameSettings(EmailAccount current, EmailAccount candidate) =>
        string.Equals(current.Address, candidate.Address, StringComparison.Ordinal)
        && string.Equals(current.UserName, candidate.UserName, StringComparison.Ordinal)
        && string.Equals(current.CloudProviderName, candidate.CloudProviderName, StringComparison.Ordinal)
        && current.Imap == candidate.Imap
        && current.Pop3 == candidate.Pop3
        && current.Smtp == candidate.Smtp;

    private static bool HaveSameCredential(ProviderCredential current, ProviderCredential candidate) => (current, candidate) switch
    {
        (ClientSecretCredential a, ClientSecretCredential b) => string.Equals(a.Secret, b.Secret, StringComparison.Ordinal) && a.ExpiresOn == b.ExpiresOn,
        (CertificateCredential a, CertificateCredential b) => string.Equals(a.Certificate.Thumbprint, b.Certificate.Thumbprint, StringComparison.Ordinal) && a.SendX5C == b.SendX5C,
        (ClientAssertionCredential a, ClientAssertionCredential b) => a.GetAssertion == b.GetAssertion,
        _ => false,
    };

    private static Uri AuthorityHost(CloudProviderOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.AuthorityHost))
        {
            return CloudEnvironmentDefaults.GetAuthorityHost(options.Cloud);
        }

        // A trailing slash keeps a path prefix when the tenant is appended (new Uri(host, tenant)).
        var host = options.AuthorityHost.Trim();
        return new Uri(host.EndsWith('/') ? host : host + "/", UriKind.Absolute);
    }

    private static MailEndpoint? Endpoint(MailEndpointOptions options, CloudEnvironment cloud, MailProtocol protocol)
    {
        if (!options.Enabled)
        {
            return null;
        }

        var fallback = CloudEnvironmentDefaults.GetMailEndpoint(cloud, protocol);
        return new MailEndpoint(options.Host?.Trim() ?? fallback.Host, options.Port ?? fallback.Port, options.TlsMode ?? fallback.TlsMode);
    }
}
