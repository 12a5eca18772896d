using Microsoft.Identity.Client;
using Microsoft.IdentityModel.JsonWebTokens;

namespace XCally.ModernAuth.Testing.Tests.Identity;

public class DeviceCodeGrantTests
{
    [Fact]
    public async Task AcquireTokenWithDeviceCode_PublicClientApprovedByTest_ReturnsDelegatedToken()
    {
        await using var env = await IdentityTestEnvironment.StartAsync(new EmulatorIdentityServerOptions { DeviceCodePollingInterval = TimeSpan.FromSeconds(1) });
        env.Application.AllowPublicClientFlows = true;
        var msal = PublicClient(env);
        var polledWhilePending = false;

        var result = await msal.AcquireTokenWithDeviceCode(IdentityTestEnvironment.ImapScopes, async code =>
        {
            Assert.Contains(code.UserCode, code.Message, StringComparison.Ordinal);
            Assert.Equal(1, code.Interval);
            _ = Task.Run(async () =>
            {
                // Approve only once the client has been told to keep polling: a request is counted when it arrives, before it is
                // answered, so the second poll's arrival is what proves the first was answered "pending".
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                while (env.Server.Counters.TokenRequestsForGrantType("device_code") < 2)
                {
                    await Task.Delay(20, timeout.Token);
                }

                polledWhilePending = true;
                env.Server.ApproveDeviceCode(code.UserCode, env.User);
            });
            await Task.CompletedTask;
        }).ExecuteAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(polledWhilePending);
        Assert.True(env.Server.Counters.TokenRequestsForGrantType("device_code") >= 2);
        Assert.Equal(env.User.UserPrincipalName, new JsonWebToken(result.AccessToken).GetClaim("upn").Value);
        Assert.Equal(env.User.UserPrincipalName, result.Account.Username);
    }

    [Fact]
    public async Task AcquireTokenWithDeviceCode_Declined_ThrowsAuthorizationDeclined()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        env.Application.AllowPublicClientFlows = true;
        var msal = PublicClient(env);

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => msal.AcquireTokenWithDeviceCode(IdentityTestEnvironment.ImapScopes, code =>
        {
            env.Server.DeclineDeviceCode(code.UserCode);
            return Task.CompletedTask;
        }).ExecuteAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        Assert.Equal("authorization_declined", ex.ErrorCode);
    }

    [Fact]
    public async Task AcquireTokenWithDeviceCode_Expired_ThrowsExpiredToken()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        env.Application.AllowPublicClientFlows = true;
        var msal = PublicClient(env);

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => msal.AcquireTokenWithDeviceCode(IdentityTestEnvironment.ImapScopes, _ =>
        {
            env.Time.Advance(TimeSpan.FromMinutes(16));
            return Task.CompletedTask;
        }).ExecuteAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        Assert.Equal("expired_token", ex.ErrorCode);
    }

    [Fact]
    public async Task AcquireTokenWithDeviceCode_PublicClientFlowsNotAllowed_ThrowsAadsts7000218()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = PublicClient(env);

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => msal.AcquireTokenWithDeviceCode(IdentityTestEnvironment.ImapScopes, code =>
        {
            env.Server.ApproveDeviceCode(code.UserCode, env.User);
            return Task.CompletedTask;
        }).ExecuteAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS7000218:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApproveDeviceCode_UnknownUserCode_Throws()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();

        Assert.Throws<InvalidOperationException>(() => env.Server.ApproveDeviceCode("NOSUCHCODE", env.User));
    }

    private static IPublicClientApplication PublicClient(IdentityTestEnvironment env) =>
        PublicClientApplicationBuilder.Create(env.Application.ClientId)
            .WithAuthority(env.Authority)
            .WithHttpClientFactory(env.HttpClientFactory)
            .WithInstanceDiscovery(false)
            .Build();
}
