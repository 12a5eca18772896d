using System.Collections.Frozen;

namespace XCally.ModernAuth.Internal;

/// <summary>One immutable, validated generation of the configured providers and accounts; replaced as a whole on reload.</summary>
internal sealed class ConfiguredModelSnapshot
{
    public ConfiguredModelSnapshot(IReadOnlyList<CloudProvider> providers, IReadOnlyList<EmailAccount> accounts)
    {
        ProviderList = providers;
        AccountList = accounts;
        Providers = providers.ToFrozenDictionary(provider => provider.Name, StringComparer.OrdinalIgnoreCase);
        Accounts = accounts.ToFrozenDictionary(account => account.Address, StringComparer.OrdinalIgnoreCase);
    }

    public static ConfiguredModelSnapshot Empty { get; } = new([], []);

    public FrozenDictionary<string, CloudProvider> Providers { get; }

    public FrozenDictionary<string, EmailAccount> Accounts { get; }

    public IReadOnlyList<CloudProvider> ProviderList { get; }

    public IReadOnlyList<EmailAccount> AccountList { get; }
}
