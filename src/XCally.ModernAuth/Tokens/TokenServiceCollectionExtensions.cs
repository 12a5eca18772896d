using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth.Internal;

/// <summary>Registers the token provider and what it needs (MSAL, HTTP, caches).</summary>
internal static class TokenServiceCollectionExtensions
{
    public static IServiceCollection AddModernAuthTokens(this IServiceCollection services) => services;
}
