namespace XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

/// <summary>
/// Waits for something the console does in the background (a refresh after the test's clock moved): checks, nudges the clock when
/// asked, and gives up after a generous real-time bound that only a hung console reaches. Never a measure of speed.
/// </summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, Action? nudge, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited 90 s for {what}.");
            }

            nudge?.Invoke();
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
