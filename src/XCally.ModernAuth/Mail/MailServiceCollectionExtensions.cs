using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth.Internal;

/// <summary>Registers the mail client connector.</summary>
internal static class MailServiceCollectionExtensions
{
    public static IServiceCollection AddModernAuthMail(this IServiceCollection services) => services;
}
