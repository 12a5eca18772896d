using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth;

/// <summary>Configures the <see cref="ITokenProvider"/>.</summary>
public static class TokenProviderBuilderExtensions
{
    /// <summary>Sets the token provider's options (store re-reads, idle tokens, the identity-platform timeout).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder ConfigureTokenProvider(this IModernAuthBuilder builder, Action<TokenProviderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
