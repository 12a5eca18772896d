using System.Globalization;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

/// <summary>
/// The MSAL clients that refresh delegated tokens are pooled per provider and lent to one account at a time: many accounts of
/// one provider refreshing at once must each get a token of their own user, redeeming their own refresh token once.
/// </summary>
public class DelegatedPooledClientTests
{
    private const int Accounts = 24;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAccessTokenAsync_ManyAccountsOfOneProviderRefreshAtOnce_EachGetsItsOwnUsersToken()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var addresses = Enumerable.Range(0, Accounts)
            .Select(i => environment.Emulator.AddUserWithMailbox(string.Create(CultureInfo.InvariantCulture, $"pooled{i:00}")).Address)
            .ToArray();
        var host = environment.StartHost(builder =>
        {
            foreach (var address in addresses)
            {
                builder.AddEmailAccount(address, DelegatedEnvironment.ProviderName, environment.Emulator.ConfigureEmailAccount);
            }
        });
        foreach (var address in addresses)
        {
            await host.SignInAsync(address);
        }

        var accounts = await Task.WhenAll(addresses.Select(host.AccountAsync));
        var first = await Task.WhenAll(accounts.Select(account => host.Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct).AsTask()));
        var refreshesBefore = environment.Emulator.Identity.Counters.TokenRequestsForGrantType("refresh_token");

        // Every token ran out together: every account refreshes at the same moment through the provider's pooled clients.
        environment.Time.Advance(TimeSpan.FromHours(2));
        var refreshed = await Task.WhenAll(accounts.Select(account => Task.Run(() => host.Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct).AsTask(), Ct)));

        Assert.Equal(Accounts, refreshed.Select(token => token.Token).Distinct().Count());
        Assert.All(refreshed.Zip(first), pair => Assert.NotEqual(pair.Second.Token, pair.First.Token));
        Assert.Equal(Accounts, environment.Emulator.Identity.Counters.TokenRequestsForGrantType("refresh_token") - refreshesBefore);
        Assert.Equal(0, environment.Emulator.Identity.Counters.RefreshTokenReuses);

        // The emulator's IMAP server accepts a token only for its own user's mailbox.
        foreach (var address in addresses)
        {
            using var imap = await host.Connector.ConnectImapAsync(address, Ct);
            Assert.True(imap.IsAuthenticated);
            await imap.DisconnectAsync(true, Ct);
        }
    }
}
