using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Sends MSAL's HTTP through the named client <see cref="ModernAuthDefaults.HttpClientName"/> of <see cref="IHttpClientFactory"/>,
/// so that hosts add proxies and handlers in one place (and the emulator a handler that trusts its certificate).
/// </summary>
internal sealed class MsalHttpClientFactory(IHttpClientFactory httpClientFactory) : IMsalHttpClientFactory
{
    public HttpClient GetHttpClient() => httpClientFactory.CreateClient(ModernAuthDefaults.HttpClientName);
}
