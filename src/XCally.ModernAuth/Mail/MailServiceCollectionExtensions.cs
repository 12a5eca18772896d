using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>Registers the mail client connector.</summary>
internal static class MailServiceCollectionExtensions
{
    public static IServiceCollection AddModernAuthMail(this IServiceCollection services)
    {
        services.AddOptions<MailConnectorOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMailClientConnector, MailClientConnector>();
        services.TryAddSingleton<IMailCursorStore, InMemoryMailCursorStore>();
        services.TryAddSingleton<IMailTransports, MailTransports>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModernAuthOptions>, TransportRegistrationValidator>());
        return services;
    }
}
