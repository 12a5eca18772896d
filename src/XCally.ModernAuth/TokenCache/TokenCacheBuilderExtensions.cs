using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth;

/// <summary>Chooses where the tokens of delegated accounts are stored.</summary>
public static class TokenCacheBuilderExtensions
{
    /// <summary>Configures the token cache.</summary>
    /// <param name="builder">The SDK builder from <c>AddXCallyModernAuth</c>.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder ConfigureTokenCache(this IModernAuthBuilder builder, Action<TokenCacheOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Keeps delegated tokens in encrypted files in a local folder (the default).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="directory">The folder; <see cref="TokenCacheOptions.DefaultDirectory"/> when omitted.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder UseFileTokenCache(this IModernAuthBuilder builder, string? directory = null) =>
        builder.ConfigureTokenCache(options =>
        {
            options.Storage = TokenCacheStorage.File;
            if (directory is not null)
            {
                options.Directory = directory;
            }
        });

    /// <summary>
    /// Keeps delegated tokens, encrypted, in the <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/> the host
    /// registers (e.g. <c>services.AddStackExchangeRedisCache(...)</c>), for hosts on several machines. Those machines must
    /// share the Data Protection key ring (<c>services.AddDataProtection().PersistKeysTo...</c>) and application name.
    /// </summary>
    /// <param name="builder">The SDK builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder UseDistributedTokenCache(this IModernAuthBuilder builder) =>
        builder.ConfigureTokenCache(options => options.Storage = TokenCacheStorage.Distributed);

    /// <summary>Keeps delegated tokens in process memory only; a restart forgets every sign-in.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder UseMemoryTokenCache(this IModernAuthBuilder builder) =>
        builder.ConfigureTokenCache(options => options.Storage = TokenCacheStorage.Memory);
}
