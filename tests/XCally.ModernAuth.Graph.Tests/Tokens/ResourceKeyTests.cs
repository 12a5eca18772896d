using MailKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using XCally.ModernAuth.Graph.Tests.Infrastructure;

namespace XCally.ModernAuth.Graph.Tests.Tokens;

/// <summary>
/// A token is for one resource: the token provider keys its cache by resource, so a Graph token never reaches IMAP or SMTP and
/// an Exchange token never reaches Graph (the lesson of Duende's CVE-2025-26620). If the key left the resource out, the second
/// request below would be served the first resource's cached token and the server would refuse it.
/// </summary>
public sealed class ResourceKeyTests
{
    [Fact]
    public async Task GraphTokenFirst_ThenImapAndSmtp_EachGetsAnExchangeToken()
    {
        await using var host = await GraphTestHost.StartAsync(MailTransport.Auto);
        var tokens = host.Services.GetRequiredService<ITokenProvider>();
        var account = await host.Services.GetRequiredService<IEmailAccountStore>().FindAsync(host.Support, TestContext.Current.CancellationToken);

        var graph = await tokens.GetAccessTokenAsync(account!, TokenResource.MicrosoftGraph, TestContext.Current.CancellationToken);
        var imapToken = await tokens.GetAccessTokenAsync(account!, MailProtocol.Imap, TestContext.Current.CancellationToken);

        Assert.Equal("https://graph.microsoft.com", new JsonWebToken(graph.Token).Audiences.Single());
        Assert.Equal("https://outlook.office365.com", new JsonWebToken(imapToken.Token).Audiences.Single());
        var connector = host.Services.GetRequiredService<IMailClientConnector>();
        using var imap = await connector.ConnectImapAsync(account!, TestContext.Current.CancellationToken);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, TestContext.Current.CancellationToken);
        using var smtp = await connector.ConnectSmtpAsync(account!, TestContext.Current.CancellationToken);
        Assert.True(smtp.IsAuthenticated);
    }

    [Fact]
    public async Task ImapTokenFirst_ThenGraph_GetsAGraphToken()
    {
        await using var host = await GraphTestHost.StartAsync();
        var connector = host.Services.GetRequiredService<IMailClientConnector>();
        using (var imap = await connector.ConnectImapAsync(host.Support, TestContext.Current.CancellationToken))
        {
            Assert.True(imap.IsAuthenticated);
        }

        var transport = await host.Transports.GetAsync(host.Support, TestContext.Current.CancellationToken);
        await transport.SendAsync(GraphTestHost.Message(host.Support, host.Sales, "after IMAP"), TestContext.Current.CancellationToken);

        Assert.Equal(1, host.Emulator.Graph.RequestCount("sendMail"));
        Assert.Equal(2, host.Emulator.Identity.Counters.TokenRequests);
    }

    [Fact]
    public async Task GraphRefusesAnExchangeToken_AndExchangeRefusesAGraphToken()
    {
        await using var host = await GraphTestHost.StartAsync();
        var exchangeToken = host.Emulator.Identity.IssueAppOnlyAccessToken(host.Emulator.Application);
        using var client = new HttpClient(host.Emulator.Identity.CreateHttpMessageHandler());
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Emulator.Graph.BaseAddress, $"users/{host.Support}/mailFolders"));
        request.Headers.Authorization = new("Bearer", exchangeToken);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Invalid audience", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
