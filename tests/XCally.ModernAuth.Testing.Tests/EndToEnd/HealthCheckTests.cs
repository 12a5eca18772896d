using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

/// <summary>The SDK's health check on the emulator: what it reports, and that probes do not turn into identity platform requests.</summary>
public class HealthCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckHealthAsync_SecretExpiringInTenDays_DegradedWithDaysLeftAndNoRequestPerProbe()
    {
        await using var host = await EmulatorHost.StartAsync(builder =>
        {
            builder.AddCloudProvider("emulator", provider => provider.SecretExpiresOn = DateTimeOffset.UtcNow.AddDays(10).AddHours(1));
            builder.Services.AddHealthChecks().AddXCallyModernAuth();
        });
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var first = await health.CheckHealthAsync(Ct);
        var requests = host.Emulator.Identity.Counters.TokenRequests;
        HealthReport? last = null;
        for (var probe = 0; probe < 5; probe++)
        {
            last = await health.CheckHealthAsync(Ct);
        }

        Assert.Equal(1, requests);
        Assert.Equal(requests, host.Emulator.Identity.Counters.TokenRequests);
        var entry = last!.Entries[ModernAuthHealthChecksBuilderExtensions.DefaultName];
        Assert.Equal(HealthStatus.Degraded, first.Status);
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("expires on", entry.Description, StringComparison.Ordinal);
        var provider = Assert.IsType<Dictionary<string, object>>(entry.Data["provider:emulator"]);
        Assert.Equal(10, provider["credential_days_left"]);
        Assert.Equal("Degraded", provider["health"]);
        Assert.True(provider.ContainsKey("token_expires_on"));
        Assert.DoesNotContain(host.Emulator.ClientSecret.Value, string.Join(" ", entry.Data.Values.Cast<Dictionary<string, object>>().SelectMany(d => d.Values)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_SecretFarFromExpiry_Healthy()
    {
        await using var host = await EmulatorHost.StartAsync(builder =>
        {
            builder.AddCloudProvider("emulator", provider => provider.SecretExpiresOn = DateTimeOffset.UtcNow.AddDays(200));
            builder.Services.AddHealthChecks().AddXCallyModernAuth();
        });

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        Assert.Equal(HealthStatus.Healthy, report.Status);
    }

    [Fact]
    public async Task CheckHealthAsync_RevokedDelegatedSignIn_UnhealthyAndProbesAddNoRequests()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var host = environment.StartHost(builder => builder.Services.AddHealthChecks().AddXCallyModernAuth());
        await host.SignInAsync(environment.Agent);
        await host.SignInAsync(environment.Clerk);
        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(Ct)).Status);

        environment.Emulator.Identity.RevokeRefreshTokens(environment.AgentUser);
        environment.Time.Advance(TimeSpan.FromHours(2));
        await Assert.ThrowsAsync<ModernAuthException>(() => host.TokenAsync(environment.Agent));
        await host.TokenAsync(environment.Clerk);
        var requests = environment.Emulator.Identity.Counters.TokenRequests;
        HealthReport? report = null;
        for (var probe = 0; probe < 5; probe++)
        {
            report = await health.CheckHealthAsync(Ct);
        }

        Assert.Equal(HealthStatus.Unhealthy, report!.Status);
        var entry = report.Entries[ModernAuthHealthChecksBuilderExtensions.DefaultName];
        var agent = Assert.IsType<Dictionary<string, object>>(entry.Data["account:" + environment.Agent]);
        Assert.Equal("Unhealthy", agent["health"]);
        Assert.Equal(nameof(ModernAuthErrorCategory.ReauthorizationRequired), agent["last_token_failure"]);
        Assert.Contains(environment.Agent, entry.Description, StringComparison.Ordinal);
        Assert.Equal("Healthy", Assert.IsType<Dictionary<string, object>>(entry.Data["account:" + environment.Clerk])["health"]);
        Assert.Equal(requests, environment.Emulator.Identity.Counters.TokenRequests);
    }
}
