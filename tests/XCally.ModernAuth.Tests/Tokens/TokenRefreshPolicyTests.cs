using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Tests.Tokens;

public sealed class TokenRefreshPolicyTests
{
    [Theory]
    [InlineData(3599, 180)]
    [InlineData(600, 150)]
    [InlineData(0, 0)]
    public void Margin_Lifetime_IsThreeMinutesOrAQuarterOfShortLifetime(int lifetimeSeconds, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), TokenRefreshPolicy.Margin(TimeSpan.FromSeconds(lifetimeSeconds)));

    [Theory]
    [InlineData(0.0, 0.9)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.999999, 1.1)]
    public void RefreshDelay_NoRefreshIn_HalfLifetimeWithTenPercentJitter(double random, double factor)
    {
        var lifetime = TimeSpan.FromMinutes(60);

        var delay = TokenRefreshPolicy.RefreshDelay(lifetime, TimeSpan.FromMinutes(57), refreshIn: null, random);

        Assert.Equal(TimeSpan.FromMinutes(30 * factor).TotalSeconds, delay.TotalSeconds, precision: 2);
    }

    [Fact]
    public void RefreshDelay_RefreshInGiven_UsesIt()
    {
        var delay = TokenRefreshPolicy.RefreshDelay(TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(57), TimeSpan.FromMinutes(10), 0.5);

        Assert.Equal(TimeSpan.FromMinutes(10), delay);
    }

    [Fact]
    public void RefreshDelay_RefreshInBeyondUsableTime_FallsBackAndStaysBeforeMargin()
    {
        var usable = TimeSpan.FromMinutes(7.5);

        var delay = TokenRefreshPolicy.RefreshDelay(TimeSpan.FromMinutes(10), usable, TimeSpan.FromMinutes(20), 0.999);

        Assert.True(delay < usable);
        Assert.Equal(TimeSpan.FromMinutes(5 * 1.0998).TotalSeconds, delay.TotalSeconds, precision: 1);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(6, 120)]
    [InlineData(50, 120)]
    public void Backoff_ConsecutiveFailures_DoublesUpToTwoMinutes(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TokenRefreshPolicy.Backoff(failures, retryAfter: null, random: 0.5));

    [Fact]
    public void Backoff_RetryAfterLonger_WaitsForRetryAfter() =>
        Assert.Equal(TimeSpan.FromMinutes(5), TokenRefreshPolicy.Backoff(1, TimeSpan.FromMinutes(5), 0.5));
}
