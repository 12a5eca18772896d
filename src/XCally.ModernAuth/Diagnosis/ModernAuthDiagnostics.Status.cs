namespace XCally.ModernAuth.Internal;

/// <summary>The status of every provider and account: what is known in memory, and tokens only from the token provider's cache.</summary>
internal sealed partial class ModernAuthDiagnostics
{
    public async Task<ModernAuthStatus> GetStatusAsync(ModernAuthStatusOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ModernAuthStatusOptions();
        var window = options.ExpiryWarningWindow ?? expiryOptions.Value.WarningWindow;
        var now = timeProvider.GetUtcNow();
        var providerList = await Providers.ListAsync(cancellationToken).ConfigureAwait(false);
        var accountList = await Accounts.ListAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<ModernAuthStatusEntry>();
        foreach (var provider in providerList)
        {
            entries.Add(await ProviderStatusAsync(provider, accountList.FirstOrDefault(a => Named(a, provider)), window, now, cancellationToken).ConfigureAwait(false));
        }

        if (options.IncludeAccounts)
        {
            foreach (var account in accountList)
            {
                var provider = providerList.FirstOrDefault(p => Named(account, p));
                entries.Add(await AccountStatusAsync(account, provider, cancellationToken).ConfigureAwait(false));
            }
        }

        return new ModernAuthStatus(now, entries);
    }

    private static bool Named(EmailAccount account, CloudProvider provider) =>
        string.Equals(account.CloudProviderName, provider.Name, StringComparison.OrdinalIgnoreCase);

    private async Task<ModernAuthStatusEntry> ProviderStatusAsync(CloudProvider provider, EmailAccount? anyAccount, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["credential"] = provider.Credential.Description,
            ["flow"] = provider.Flow.ToString(),
        };
        var health = new Verdict();
        if (CredentialExpiry.Of(provider.Credential) is { } expiry)
        {
            var days = expiry.DaysLeft(now);
            data["credential_expires_on"] = expiry.ExpiresOn;
            data["credential_days_left"] = days;
            if (expiry.ExpiresOn <= now)
            {
                health.Add(ModernAuthHealth.Unhealthy, $"the {expiry.What} expired on {expiry.ExpiresOn.UtcDateTime:yyyy-MM-dd}: {expiry.Renewal(provider.Name)}");
            }
            else if (expiry.ExpiresOn - now <= window)
            {
                health.Add(ModernAuthHealth.Degraded, $"the {expiry.What} expires on {expiry.ExpiresOn.UtcDateTime:yyyy-MM-dd}, in {days} days: {expiry.Renewal(provider.Name)}");
            }
        }

        if (provider.Flow == AuthFlow.AppOnly && anyAccount is not null)
        {
            var resource = anyAccount.Transport == MailTransport.Graph ? TokenResource.MicrosoftGraph : TokenResource.ExchangeOnline;
            await TokenStatusAsync(provider, anyAccount, resource, null, data, health, cancellationToken).ConfigureAwait(false);
        }

        return new ModernAuthStatusEntry(ModernAuthStatusSubject.CloudProvider, provider.Name, health.Health, health.Summary($"cloud provider '{provider.Name}' ({provider.Credential.Description}) is fine"), data);
    }

    private async Task<ModernAuthStatusEntry> AccountStatusAsync(EmailAccount account, CloudProvider? provider, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["cloud_provider"] = account.CloudProviderName };
        var health = new Verdict();
        if (provider is null)
        {
            health.Add(ModernAuthHealth.Unhealthy, $"its cloud provider '{account.CloudProviderName}' is not configured");
        }
        else if (provider.Flow == AuthFlow.Delegated)
        {
            var resource = account.Transport == MailTransport.Graph ? TokenResource.MicrosoftGraph : TokenResource.ExchangeOnline;
            await TokenStatusAsync(provider, account, resource, account.Address, data, health, cancellationToken).ConfigureAwait(false);
        }

        foreach (var protocol in new[] { MailProtocol.Imap, MailProtocol.Pop3, MailProtocol.Smtp })
        {
            if (activity.LastSignIn(account.Address, protocol) is not { } signIn)
            {
                continue;
            }

            var key = protocol.ToString().ToLowerInvariant() + "_sign_in";
            data[key] = signIn.Succeeded ? "succeeded" : signIn.Category!.Value.ToString();
            data[key + "_at"] = signIn.At;
            if (!signIn.Succeeded)
            {
                health.Add(IsPassing(signIn.Category!.Value) ? ModernAuthHealth.Degraded : ModernAuthHealth.Unhealthy, $"the last {protocol.ToString().ToUpperInvariant()} sign-in failed: {signIn.Summary}");
            }
        }

        if (activity.IdleSession(account.Address) is { } idle)
        {
            data["idle_state"] = idle.State.ToString();
            if (idle.State == ImapIdleSessionState.WaitingToReconnect)
            {
                health.Add(ModernAuthHealth.Degraded, "its IMAP IDLE session is waiting to reconnect");
            }
        }

        return new ModernAuthStatusEntry(ModernAuthStatusSubject.EmailAccount, account.Address, health.Health, health.Summary($"email account {account.Address} is fine"), data);
    }

    // A token from the token provider's cache; a request to the identity platform only when none was ever obtained. A slot whose
    // last request failed is reported from that failure, so that a probe never turns into a retry.
    private async Task TokenStatusAsync(CloudProvider provider, EmailAccount account, TokenResource resource, string? delegatedAccount, Dictionary<string, object> data, Verdict health, CancellationToken cancellationToken)
    {
        if (outcomes.Find(provider.Name, delegatedAccount, resource)?.CurrentFailure is { } failure)
        {
            data["last_token_failure"] = failure.Category.ToString();
            data["last_token_failure_at"] = failure.At;
            if (failure.ErrorCode is { } code)
            {
                data["last_token_failure_code"] = code;
            }

            health.Add(IsPassing(failure.Category) ? ModernAuthHealth.Degraded : ModernAuthHealth.Unhealthy, $"no new token can be had: {failure.Summary} {failure.Advice}".TrimEnd());
            return;
        }

        try
        {
            var token = await Tokens.GetAccessTokenAsync(account, resource, cancellationToken).ConfigureAwait(false);
            data["token_expires_on"] = token.ExpiresOn;
        }
        catch (ModernAuthException error)
        {
            data["last_token_failure"] = error.Category.ToString();
            health.Add(IsPassing(error.Category) ? ModernAuthHealth.Degraded : ModernAuthHealth.Unhealthy, $"no token: {error.Summary} {error.Advice}".TrimEnd());
        }
    }

    // Failures that waiting fixes: the mail still flows or will again without anyone acting.
    private static bool IsPassing(ModernAuthErrorCategory category) => category
        is ModernAuthErrorCategory.Throttled
        or ModernAuthErrorCategory.Transient
        or ModernAuthErrorCategory.ServerBusy
        or ModernAuthErrorCategory.NetworkError;

    /// <summary>The worst health found and the reasons for it.</summary>
    private sealed class Verdict
    {
        private readonly List<string> _reasons = [];

        public ModernAuthHealth Health { get; private set; } = ModernAuthHealth.Healthy;

        public void Add(ModernAuthHealth health, string reason)
        {
            Health = (ModernAuthHealth)Math.Min((int)Health, (int)health);
            _reasons.Add(reason);
        }

        public string Summary(string whenHealthy) => _reasons.Count == 0 ? whenHealthy : string.Join("; ", _reasons);
    }
}
