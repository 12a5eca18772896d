using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace XCally.ModernAuth.Internal;

/// <summary>Registers the credential expiry check (a hosted service) and the diagnosis.</summary>
internal static class HealthServiceCollectionExtensions
{
    public static IServiceCollection AddModernAuthHealth(this IServiceCollection services)
    {
        services.AddOptions<CredentialExpiryOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<CredentialExpiryOptions>, CredentialExpiryOptionsValidator>());
        services.TryAddSingleton<CredentialExpiryMonitor>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CredentialExpiryMonitor>(sp => sp.GetRequiredService<CredentialExpiryMonitor>()));
        services.TryAddSingleton<IModernAuthDiagnostics, ModernAuthDiagnostics>();
        return services;
    }
}
