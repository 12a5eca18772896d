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
            scopes,
            GraphScopeRules.Resolve(options.GraphScopes, options.Cloud, options.Flow));
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
            Endpoint(options.Smtp, provider.Cloud, MailProtocol.Smtp),
            options.Transport);
    }

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
