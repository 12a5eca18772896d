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
    [InlineData(0.0, 0.5)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.999999, 1.5)]
    public void RefreshDelay_NoRefreshIn_HalfLifetimeWithFiftyPercentJitter(double random, double factor)
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

    [Theory]
    [InlineData(0.0, 0.9)]
    [InlineData(0.999, 1.1)]
    public void RefreshDelay_RefreshInGiven_SpreadByTenPercentOnly(double random, double factor)
    {
        // A follower instance's later point (70% of the lifetime) must stay after the redeeming instance's (at most 75%).
        var delay = TokenRefreshPolicy.RefreshDelay(TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(57), TimeSpan.FromMinutes(42), random);

        Assert.Equal(42 * factor, delay.TotalMinutes, precision: 1);
    }

    [Fact]
    public void RefreshDelay_RefreshInBeyondUsableTime_FallsBackAndStaysBeforeMargin()
    {
        var usable = TimeSpan.FromMinutes(7.5);

        var early = TokenRefreshPolicy.RefreshDelay(TimeSpan.FromMinutes(10), usable, TimeSpan.FromMinutes(20), 0.2);
        var late = TokenRefreshPolicy.RefreshDelay(TimeSpan.FromMinutes(10), usable, TimeSpan.FromMinutes(20), 0.999);

        Assert.Equal(TimeSpan.FromMinutes(5 * 0.7).TotalSeconds, early.TotalSeconds, precision: 1);
        Assert.Equal((usable * 0.95).TotalSeconds, late.TotalSeconds, precision: 1);
    }

    [Fact]
    public void RefreshDelay_TokensIssuedTogether_SpreadOverHalfTheLifetime()
    {
        // Ten thousand accounts signed in in the same minute: their refreshes must not land in a few minutes.
        var random = new Random(20261201);
        var perMinute = new int[60];
        for (var i = 0; i < 10_000; i++)
        {
            var delay = TokenRefreshPolicy.RefreshDelay(TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(57), refreshIn: null, random.NextDouble());
            perMinute[(int)delay.TotalMinutes]++;
        }

        // Spread over minutes 15 to 45: about 333 a minute, the steady rate of 10,000 accounts refreshing twice an hour.
        Assert.All(perMinute.Take(15).Concat(perMinute.Skip(45)), count => Assert.Equal(0, count));
        Assert.All(perMinute.Skip(15).Take(30), count => Assert.InRange(count, 250, 420));
    }

    [Theory]
    [InlineData(0.0, 5)]
    [InlineData(0.5, 5 + ((0.7 * 1200) - 5) / 2)]
    [InlineData(0.999999, 0.7 * 1200)]
    public void RetryDelay_TokenServedForTwentyMinutes_SpreadBetweenBackoffAndSeventyPercentOfIt(double random, double expectedSeconds) =>
        Assert.Equal(expectedSeconds, TokenRefreshPolicy.RetryDelay(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(20), random).TotalSeconds, precision: 2);

    [Fact]
    public void RetryDelay_LittleTimeLeft_WaitsTheBackoff() =>
        Assert.Equal(TimeSpan.FromMinutes(2), TokenRefreshPolicy.RetryDelay(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1), 0.9));

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
