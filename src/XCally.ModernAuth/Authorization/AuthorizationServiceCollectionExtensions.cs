using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace XCally.ModernAuth.Internal;

/// <summary>Registers the delegated sign-in service.</summary>
internal static class AuthorizationServiceCollectionExtensions
{
    public static IServiceCollection AddModernAuthAuthorization(this IServiceCollection services)
    {
        services.AddOptions<DelegatedAuthorizationOptions>();
        services.TryAddSingleton<AuthorizationStateStore>();
        services.TryAddSingleton<IModernAuthAuthorization, ModernAuthAuthorization>();
        return services;
    }
}
