using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Tells <see cref="IOptionsMonitor{TOptions}"/> when the configuration reloads, like <c>ConfigurationChangeTokenSource</c>, but
/// contains the failure of a reload whose options do not validate: the options monitor rebuilds and validates the options
/// inside the change callback, so an <see cref="OptionsValidationException"/> would otherwise escape into whoever reloaded the
/// configuration (a file watcher, <c>IConfigurationRoot.Reload</c>). It is logged instead, and the stores keep their last
/// valid providers and accounts.
/// </summary>
internal sealed partial class ConfigurationReloadTokenSource : IOptionsChangeTokenSource<ModernAuthOptions>, IDisposable
{
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly IDisposable _subscription;
    private CancellationTokenSource _changed = new();

    public ConfigurationReloadTokenSource(IConfiguration configuration, ILogger<ConfigurationReloadTokenSource> logger)
    {
        _path = configuration is IConfigurationSection section ? section.Path : string.Empty;
        _logger = logger;
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, OnConfigurationReloaded);
    }

    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public void Dispose() => _subscription.Dispose();

    private void OnConfigurationReloaded()
    {
        var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        try
        {
            previous.Cancel();
        }
        catch (AggregateException ex)
        {
            foreach (var inner in ex.Flatten().InnerExceptions)
            {
                if (inner is OptionsValidationException invalid)
                {
                    Log.ReloadRefused(_logger, _path, string.Join("; ", invalid.Failures));
                }
                else
                {
                    Log.ReloadFailed(_logger, _path, inner);
                }
            }
        }
    }
}
