using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Tests.Mail.Fakes;

namespace XCally.ModernAuth.Tests.Mail;

public class MailServiceCollectionExtensionsTests
{
    [Fact]
    public void AddXCallyModernAuth_ConfigureMailConnector_RegistersSingletonConnectorWithOptions()
    {
        var services = new ServiceCollection();
        services.AddXCallyModernAuth().ConfigureMailConnector(o => o.AllowClearTextOnLoopback = true);
        services.AddSingleton(MailTestData.Tokens().Object);
        services.AddSingleton(MailTestData.Accounts().Object);
        using var provider = services.BuildServiceProvider();

        var connector = provider.GetRequiredService<IMailClientConnector>();

        Assert.Same(connector, provider.GetRequiredService<IMailClientConnector>());
        Assert.True(provider.GetRequiredService<IOptions<MailConnectorOptions>>().Value.AllowClearTextOnLoopback);
    }
}
