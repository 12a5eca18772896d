using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth.Internal;

internal sealed class ModernAuthBuilder(IServiceCollection services) : IModernAuthBuilder
{
    public IServiceCollection Services { get; } = services;
}
