namespace XCally.ModernAuth.Internal;

/// <summary>Turns options into validated, immutable model objects.</summary>
internal static class ModelFactory
{
    // Minimal conversion; full validation with configuration paths lives in the validators.
    public static CloudProvider CreateCloudProvider(string name, CloudProviderOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);

        ProviderCredential credential = options.ClientSecret is { Length: > 0 } secret
            ? new ClientSecretCredential(secret, options.SecretExpiresOn)
            : options.ClientAssertion is { } assertion
                ? new ClientAssertionCredential(assertion)
                : throw new ModernAuthException(ModernAuthErrorCategory.InvalidConfiguration, $"Cloud provider '{name}' has no credential.");

        var authorityHost = options.AuthorityHost is { Length: > 0 } host
            ? new Uri(host)
            : CloudEnvironmentDefaults.GetAuthorityHost(options.Cloud);
        var scopes = options.Scopes.Count > 0
            ? options.Scopes.ToArray()
            : CloudEnvironmentDefaults.GetDefaultScopes(options.Cloud, options.Flow);

        return new CloudProvider(
            name,
            options.Service,
            options.Type,
            options.TenantId!,
            options.ClientId!,
            credential,
            options.Cloud,
            options.Flow,
            options.RedirectUri is { Length: > 0 } redirect ? new Uri(redirect) : null,
            authorityHost,
            options.AllowNonMicrosoftAuthority,
            scopes);
    }

    public static EmailAccount CreateEmailAccount(EmailAccountOptions options, CloudProvider provider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(provider);

        return new EmailAccount(
            options.Address!,
            options.UserName ?? options.Address!,
            provider.Name,
            Endpoint(options.Imap, provider.Cloud, MailProtocol.Imap),
            Endpoint(options.Pop3, provider.Cloud, MailProtocol.Pop3),
            Endpoint(options.Smtp, provider.Cloud, MailProtocol.Smtp));
    }

    private static MailEndpoint? Endpoint(MailEndpointOptions options, CloudEnvironment cloud, MailProtocol protocol)
    {
        if (!options.Enabled)
        {
            return null;
        }

        var fallback = CloudEnvironmentDefaults.GetMailEndpoint(cloud, protocol);
        return new MailEndpoint(options.Host ?? fallback.Host, options.Port ?? fallback.Port, options.TlsMode ?? fallback.TlsMode);
    }
}
