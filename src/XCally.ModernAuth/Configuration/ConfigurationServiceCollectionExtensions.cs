using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth.Internal;

/// <summary>Registers options, validation and the options-backed stores.</summary>
internal static class ConfigurationServiceCollectionExtensions
{
    public static IServiceCollection AddModernAuthConfiguration(this IServiceCollection services)
    {
        services.AddOptions<ModernAuthOptions>();
        return services;
    }

    public static IServiceCollection BindModernAuthConfiguration(this IServiceCollection services, IConfiguration section)
    {
        services.Configure<ModernAuthOptions>(section);
        return services;
    }
}
