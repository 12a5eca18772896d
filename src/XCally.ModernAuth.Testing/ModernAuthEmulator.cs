using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using XCally.ModernAuth.Testing.Certificates;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// An offline Office 365: an Entra ID-shaped identity platform on loopback HTTPS and Exchange-like IMAP, POP3 and SMTP servers
/// that accept only XOAUTH2 and OAUTHBEARER, sharing one directory, signing key and clock. It registers a tenant, an application
/// with the IMAP, POP and SMTP application permissions (admin consent given) and a client secret, and mailboxes the application
/// may open; <see cref="ModernAuthEmulatorBuilderExtensions.UseEmulator"/> points an SDK host at it.
/// </summary>
/// <example>
/// <code>
/// await using var emulator = await ModernAuthEmulator.StartAsync();
/// services.AddXCallyModernAuth().UseEmulator(emulator);
/// </code>
/// </example>
public sealed class ModernAuthEmulator : IAsyncDisposable
{
    private ModernAuthEmulator(
        EmulatorDirectory directory,
        EmulatorSigningKey signingKey,
        X509Certificate2 mailCertificate,
        EmulatorIdentityServer identity,
        EmulatorMailServer mail,
        ModernAuthEmulatorOptions options)
    {
        Directory = directory;
        SigningKey = signingKey;
        MailCertificate = mailCertificate;
        Identity = identity;
        Mail = mail;
        TimeProvider = options.TimeProvider;
        RedirectUri = options.RedirectUri;

        Tenant = directory.AddTenant(options.TenantDomain);
        Application = directory.AddApplication(Tenant, "XCally mail channel")
            .GrantAppRoles(EmulatorApplication.ImapAccessAsApp, EmulatorApplication.PopAccessAsApp, EmulatorApplication.SmtpSendAsApp)
            .GrantAppRoles(EmulatorApplication.GraphMailSend, EmulatorApplication.GraphMailReadWrite)
            .AddDelegatedScopes(EmulatorApplication.ImapAccessAsUser, EmulatorApplication.PopAccessAsUser, EmulatorApplication.SmtpSend)
            .AddDelegatedScopes(EmulatorApplication.GraphMailReadWrite, EmulatorApplication.GraphMailSend, EmulatorApplication.GraphMailSendShared, EmulatorApplication.GraphMailReadWriteShared)
            .AddRedirectUri(options.RedirectUri);
        ClientSecret = Application.AddSecret();
        foreach (var localPart in options.Mailboxes)
        {
            AddMailbox(localPart);
        }

        foreach (var localPart in options.UsersWithMailboxes)
        {
            AddUserWithMailbox(localPart);
        }
    }

    /// <summary>Everything the emulator knows: tenants, applications, users, mailboxes and permissions.</summary>
    public EmulatorDirectory Directory { get; }

    /// <summary>The key tokens are signed with; export it for a real mail server to trust.</summary>
    public EmulatorSigningKey SigningKey { get; }

    /// <summary>The identity platform.</summary>
    public EmulatorIdentityServer Identity { get; }

    /// <summary>Microsoft Graph's mail API (on the identity platform's host), over the same mailboxes as the mail servers.</summary>
    public EmulatorGraph Graph => Identity.Graph;

    /// <summary>The IMAP, POP3 and SMTP servers.</summary>
    public EmulatorMailServer Mail { get; }

    /// <summary>The run-time certificate of the mail servers.</summary>
    public X509Certificate2 MailCertificate { get; }

    /// <summary>The clock both servers use.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The tenant registered at start.</summary>
    public EmulatorTenant Tenant { get; }

    /// <summary>The application registered at start, with the IMAP, POP and SMTP application permissions.</summary>
    public EmulatorApplication Application { get; }

    /// <summary>The application's client secret.</summary>
    public EmulatorClientSecret ClientSecret { get; }

    /// <summary>The redirect URI registered on the application.</summary>
    public string RedirectUri { get; }

    /// <summary>The mailboxes of the tenant registered at start, and those added since.</summary>
    public IEnumerable<EmulatorMailbox> Mailboxes => Directory.Mailboxes.Where(m => m.Tenant == Tenant);

    /// <summary>Starts both servers on free loopback ports.</summary>
    /// <param name="options">The set-up; defaults when omitted.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop both servers.</returns>
    public static async Task<ModernAuthEmulator> StartAsync(ModernAuthEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ModernAuthEmulatorOptions();
        var directory = new EmulatorDirectory();
        var signingKey = new EmulatorSigningKey();
        var certificate = EmulatorCertificates.CreateLoopbackCertificate();
        EmulatorIdentityServer? identity = null;
        try
        {
            identity = await EmulatorIdentityServer.StartAsync(directory, signingKey, options.TimeProvider, options.Identity, cancellationToken).ConfigureAwait(false);
            var mail = await EmulatorMailServer.StartAsync(directory, signingKey, certificate, options.TimeProvider, options.Mail, cancellationToken).ConfigureAwait(false);
            return new ModernAuthEmulator(directory, signingKey, certificate, identity, mail, options);
        }
        catch
        {
            if (identity is not null)
            {
                await identity.DisposeAsync().ConfigureAwait(false);
            }

            certificate.Dispose();
            signingKey.Dispose();
            throw;
        }
    }

    /// <summary>Registers a mailbox in the emulator's tenant and grants the application full access to it.</summary>
    /// <param name="addressOrLocalPart">An address, or a local part to which the tenant's domain is added.</param>
    /// <param name="grantFullAccess">Whether the application gets full access (<c>Add-MailboxPermission</c>).</param>
    /// <returns>The mailbox.</returns>
    public EmulatorMailbox AddMailbox(string addressOrLocalPart, bool grantFullAccess = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(addressOrLocalPart);
        var address = addressOrLocalPart.Contains('@', StringComparison.Ordinal) ? addressOrLocalPart : $"{addressOrLocalPart}@{Tenant.Domain}";
        var mailbox = Directory.AddMailbox(Tenant, address);
        if (grantFullAccess)
        {
            mailbox.GrantFullAccess(Application);
        }

        return mailbox;
    }

    /// <summary>
    /// Registers a user of the emulator's tenant with their own mailbox, for the delegated flow: the user signs in (authorization
    /// code or device code) and the delegated token opens the mailbox. The application gets no full access to it.
    /// </summary>
    /// <param name="addressOrLocalPart">The user's address (also their user principal name), or a local part to which the tenant's domain is added.</param>
    /// <param name="displayName">The user's display name; the address when omitted.</param>
    /// <returns>The mailbox; its <see cref="EmulatorMailbox.Owner"/> is the user.</returns>
    public EmulatorMailbox AddUserWithMailbox(string addressOrLocalPart, string? displayName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(addressOrLocalPart);
        var address = addressOrLocalPart.Contains('@', StringComparison.Ordinal) ? addressOrLocalPart : $"{addressOrLocalPart}@{Tenant.Domain}";
        var user = Directory.AddUser(Tenant, address, displayName);
        return Directory.AddMailbox(Tenant, address, user);
    }

    /// <summary>
    /// Plays the browser of a delegated sign-in: opens the authorization URL (from <c>IModernAuthAuthorization.BeginAsync</c>)
    /// without following the redirect, and returns where the identity platform redirects to, the redirect URI with <c>code</c>
    /// and <c>state</c> (or <c>error</c>). Who signs in is the <c>login_hint</c> user, or whoever <see cref="EmulatorIdentityServer.SignIn"/> picks.
    /// </summary>
    /// <param name="authorizeUrl">The authorization URL.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The redirect's target.</returns>
    /// <exception cref="InvalidOperationException">The identity platform answered with an error page instead of a redirect.</exception>
    public async Task<Uri> SignInAsync(Uri authorizeUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authorizeUrl);
        using var client = new HttpClient(Identity.CreateHttpMessageHandler(), disposeHandler: true);
        using var response = await client.GetAsync(authorizeUrl, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != System.Net.HttpStatusCode.Found || response.Headers.Location is not { } location)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"The authorization endpoint answered {(int)response.StatusCode} instead of a redirect: {body}");
        }

        return location.IsAbsoluteUri ? location : new Uri(authorizeUrl, location);
    }

    /// <summary>
    /// Fills cloud provider settings that point at the emulator: its tenant, the application and its secret, the emulator's
    /// sign-in host with the explicit <see cref="CloudProviderOptions.AllowNonMicrosoftAuthority"/> opt-in.
    /// </summary>
    /// <param name="options">The settings to fill.</param>
    /// <param name="flow">The flow; for <see cref="AuthFlow.Delegated"/> the registered redirect URI is set too.</param>
    public void ConfigureCloudProvider(CloudProviderOptions options, AuthFlow flow = AuthFlow.AppOnly)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TenantId = Tenant.TenantId;
        options.ClientId = Application.ClientId;
        options.ClientSecret = ClientSecret.Value;
        options.AuthorityHost = Identity.BaseAddress.ToString();
        options.AllowNonMicrosoftAuthority = true;
        options.Flow = flow;
        if (flow == AuthFlow.Delegated)
        {
            options.RedirectUri = RedirectUri;
        }
    }

    /// <summary>Fills email account settings whose IMAP, POP3 and SMTP endpoints are the emulator's.</summary>
    /// <param name="options">The settings to fill; <see cref="EmailAccountOptions.Address"/> should already be set.</param>
    public void ConfigureEmailAccount(EmailAccountOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Configure(options.Imap, MailProtocol.Imap);
        Configure(options.Pop3, MailProtocol.Pop3);
        Configure(options.Smtp, MailProtocol.Smtp);
    }

    /// <summary>A certificate check that accepts exactly the mail servers' run-time certificate, for MailKit clients.</summary>
    /// <returns>The callback.</returns>
    public RemoteCertificateValidationCallback TrustMailServerCertificate() => EmulatorCertificates.TrustExactly(MailCertificate);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Mail.DisposeAsync().ConfigureAwait(false);
        await Identity.DisposeAsync().ConfigureAwait(false);
        MailCertificate.Dispose();
        SigningKey.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"ModernAuthEmulator (identity {Identity.BaseAddress}, tenant {Tenant.Domain})";

    private void Configure(MailEndpointOptions endpoint, MailProtocol protocol)
    {
        var configured = Mail.GetEndpoint(protocol);
        endpoint.Host = configured.Host;
        endpoint.Port = configured.Port;
        endpoint.TlsMode = configured.TlsMode;
    }
}
