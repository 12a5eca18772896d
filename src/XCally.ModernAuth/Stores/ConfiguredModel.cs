using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Builds the providers and accounts of the validated <see cref="ModernAuthOptions"/> and rebuilds them when the options change.
/// A provider or account whose settings did not change keeps its instance; a changed one (a rotated secret) gets a new
/// instance, which is how the token provider knows to rebuild its client. Old instances stay usable by whoever holds them.
/// A rebuild that fails keeps the previous snapshot.
/// </summary>
internal sealed partial class ConfiguredModel : IDisposable
{
    private static readonly TimeSpan ExpiryWarningPeriod = TimeSpan.FromDays(14);

    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly IDisposable? _subscription;
    private volatile ConfiguredModelSnapshot? _snapshot;

    public ConfiguredModel(IOptionsMonitor<ModernAuthOptions> options, TimeProvider timeProvider, ILogger<ConfiguredModel> logger)
    {
        _timeProvider = timeProvider;
        _logger = logger;

        // Subscribe before the first read, so that a change between the two is not missed.
        _subscription = options.OnChange(OnOptionsChanged);
        lock (_gate)
        {
            _snapshot ??= Build(options.CurrentValue, ConfiguredModelSnapshot.Empty);
        }
    }

    public ConfiguredModelSnapshot Current => _snapshot!;

    /// <summary>Fires after each rebuild, so that the token provider looks its providers up again.</summary>
    public StoreChangeNotifier Changes { get; } = new();

    public void Dispose() => _subscription?.Dispose();

    private void OnOptionsChanged(ModernAuthOptions options, string? name)
    {
        if (name is not null && name != Options.DefaultName)
        {
            return;
        }

        lock (_gate)
        {
            try
            {
                _snapshot = Build(options, _snapshot ?? ConfiguredModelSnapshot.Empty);
                Log.Reloaded(_logger, _snapshot.ProviderList.Count, _snapshot.AccountList.Count);
                Changes.NotifyChanged();
            }
            catch (ModernAuthException ex)
            {
                // Validation passed moments ago, so this is a race such as a certificate file replaced in between.
                Log.RebuildFailed(_logger, ex);
            }
        }
    }

    private ConfiguredModelSnapshot Build(ModernAuthOptions options, ConfiguredModelSnapshot previous)
    {
        foreach (var key in options.UnknownKeys)
        {
            Log.UnknownSetting(_logger, key);
        }

        var now = _timeProvider.GetUtcNow();
        var providers = new List<CloudProvider>(options.CloudProviders.Count);
        try
        {
            foreach (var (name, providerOptions) in options.CloudProviders)
            {
                var path = ModernAuthOptionsValidator.ProviderPath(options, name, providerOptions);
                var candidate = ModelFactory.CreateCloudProvider(name, providerOptions, path, now);
                if (previous.Providers.TryGetValue(name, out var current) && current.Equals(candidate))
                {
                    Release(candidate);
                    candidate = current;
                }

                providers.Add(candidate);
                WarnAboutCredential(candidate, now);
            }

            var byName = providers.ToDictionary(provider => provider.Name, StringComparer.OrdinalIgnoreCase);
            var accounts = new List<EmailAccount>(options.EmailAccounts.Count);
            for (var i = 0; i < options.EmailAccounts.Count; i++)
            {
                var accountOptions = options.EmailAccounts[i];
                var path = ModernAuthOptionsValidator.AccountPath(options, i, accountOptions);
                var candidate = ModelFactory.CreateEmailAccount(accountOptions, byName[accountOptions.CloudProvider!], path);
                if (previous.Accounts.TryGetValue(candidate.Address, out var current) && current.Equals(candidate))
                {
                    candidate = current;
                }

                accounts.Add(candidate);
            }

            return new ConfiguredModelSnapshot(providers, accounts);
        }
        catch
        {
            foreach (var provider in providers.Where(provider => !previous.ProviderList.Contains(provider)))
            {
                Release(provider);
            }

            throw;
        }
    }

    // Certificates that never reached a snapshot are nobody else's, so their key handles are freed now rather than by the finalizer.
    private static void Release(CloudProvider provider)
    {
        if (provider.Credential is CertificateCredential { OwnedByHost: false } certificate)
        {
            certificate.Certificate.Dispose();
        }
    }

    private void WarnAboutCredential(CloudProvider provider, DateTimeOffset now)
    {
        if (provider.Credential is not ClientSecretCredential secret)
        {
            return;
        }

        if (secret.ExpiresOn is { } expiresOn && expiresOn - now <= ExpiryWarningPeriod)
        {
            Log.SecretExpiresSoon(_logger, provider.Name, expiresOn);
        }

        // A secret's value is never a GUID; its Secret ID is, and is the usual cause of AADSTS7000215.
        if (Guid.TryParse(secret.Secret, out _))
        {
            Log.SecretLooksLikeSecretId(_logger, provider.Name);
        }
    }
}
