using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Graph.Internal;

/// <summary>Makes the <see cref="MailTransport.Graph"/> transport of an account.</summary>
internal sealed class GraphMailTransportFactory(GraphClients clients, IMailCursorStore cursors, ILoggerFactory loggerFactory) : IMailTransportFactory
{
    public MailTransport Transport => MailTransport.Graph;

    public IMailTransport Create(EmailAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new GraphMailTransport(account, clients, cursors, loggerFactory.CreateLogger<GraphMailTransport>());
    }
}
