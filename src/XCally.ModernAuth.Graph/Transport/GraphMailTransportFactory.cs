using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Graph.Internal;

/// <summary>
/// Makes the <see cref="MailTransport.Graph"/> transport of an account. Its dependencies are resolved on first use: start-up
/// validation of the options asks for the factories, and the token provider they need reads those same options.
/// </summary>
internal sealed class GraphMailTransportFactory(IServiceProvider services) : IMailTransportFactory
{
    public MailTransport Transport => MailTransport.Graph;

    public IMailTransport Create(EmailAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new GraphMailTransport(
            account,
            services.GetRequiredService<GraphClients>(),
            services.GetRequiredService<IMailCursorStore>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger<GraphMailTransport>());
    }
}
