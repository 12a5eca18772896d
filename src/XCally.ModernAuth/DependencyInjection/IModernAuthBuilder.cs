using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth;

/// <summary>Configures XCally.ModernAuth after <c>AddXCallyModernAuth</c>: providers, accounts and optional features in code.</summary>
public interface IModernAuthBuilder
{
    /// <summary>The service collection the SDK is registered in.</summary>
    IServiceCollection Services { get; }
}
