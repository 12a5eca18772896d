using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>
/// The default <see cref="ISalesforceProviderStore"/>: the Salesforce providers of the validated <see cref="ModernAuthOptions"/>,
/// rebuilt when the options change. A provider whose settings did not change keeps its instance (and its session); a rebuild that
/// fails keeps the previous providers. Lookups read an immutable snapshot, lock-free.
/// </summary>
internal sealed partial class ConfiguredSalesforceProviders : ISalesforceProviderStore, IDisposable
{
    private readonly SalesforceServiceRegistration _registration;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly IDisposable? _subscription;
    private volatile Snapshot _snapshot = Snapshot.Empty;

    public ConfiguredSalesforceProviders(
        IOptionsMonitor<ModernAuthOptions> options,
        SalesforceServiceRegistration registration,
        TimeProvider timeProvider,
        ILogger<ConfiguredSalesforceProviders> logger)
    {
        _registration = registration;
        _timeProvider = timeProvider;
        _logger = logger;
        _subscription = options.OnChange((value, name) =>
        {
            if (name is null || name == Options.DefaultName)
            {
                Rebuild(value, logFailure: true);
            }
        });
        Rebuild(options.CurrentValue, logFailure: false);
    }

    public ValueTask<SalesforceProvider?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new(_snapshot.ByName.GetValueOrDefault(name));
    }

    public ValueTask<IReadOnlyList<SalesforceProvider>> ListAsync(CancellationToken cancellationToken = default) => new(_snapshot.List);

    public void Dispose() => _subscription?.Dispose();

    private void Rebuild(ModernAuthOptions options, bool logFailure)
    {
        lock (_gate)
        {
            try
            {
                _snapshot = Build(options, _snapshot);
            }
            catch (ModernAuthException ex) when (logFailure)
            {
                // Validation passed moments ago, so this is a race such as a certificate file replaced in between.
                Log.RebuildFailed(_logger, ex);
            }
        }
    }

    private Snapshot Build(ModernAuthOptions options, Snapshot previous)
    {
        var now = _timeProvider.GetUtcNow();
        var providers = new List<SalesforceProvider>();
        foreach (var entry in _registration.Service.EntriesOf(options))
        {
            var report = new ModernAuthOptions();
            var providerOptions = SalesforceProviderOptionsBinder.Bind(entry, report);
            foreach (var key in report.UnknownKeys)
            {
                Log.UnknownSetting(_logger, key);
            }

            var path = providerOptions.ConfigurationPath ?? CloudServicesValidator.EntryPath(options, entry);
            var candidate = SalesforceModelFactory.Create(entry.Name, providerOptions, path, now);
            if (previous.ByName.TryGetValue(entry.Name, out var current) && SalesforceModelFactory.HaveSameSettings(current, candidate))
            {
                candidate.Certificate?.Dispose();
                candidate = current;
            }
            else if (candidate.Flow == SalesforceFlow.UsernamePassword)
            {
                Log.UsernamePasswordFlowInUse(_logger, candidate.Name);
            }

            providers.Add(candidate);
        }

        return new Snapshot(providers);
    }

    private sealed class Snapshot(IReadOnlyList<SalesforceProvider> providers)
    {
        public static Snapshot Empty { get; } = new([]);

        public IReadOnlyList<SalesforceProvider> List { get; } = providers;

        public FrozenDictionary<string, SalesforceProvider> ByName { get; } =
            providers.ToFrozenDictionary(provider => provider.Name, StringComparer.OrdinalIgnoreCase);
    }

    private static partial class Log
    {
        [LoggerMessage(1101, LogLevel.Warning, "The configuration setting '{Path}' is not known and is ignored; check its spelling")]
        public static partial void UnknownSetting(ILogger logger, string path);

        [LoggerMessage(1102, LogLevel.Warning, "Salesforce provider '{CloudProvider}' uses the username-password flow (password plus security token), opted in with AllowUsernamePasswordFlow. Salesforce blocks it in orgs created since Summer '23 and is retiring it, and it breaks whenever the API user's password or security token changes. Move to ClientCredentials (enable the client credentials flow on the app and pick a Run As user) or JwtBearer (upload a certificate to the app)")]
        public static partial void UsernamePasswordFlowInUse(ILogger logger, string cloudProvider);

        [LoggerMessage(1103, LogLevel.Error, "The reloaded Salesforce providers could not be applied, so the last valid ones stay in use")]
        public static partial void RebuildFailed(ILogger logger, Exception exception);
    }
}
