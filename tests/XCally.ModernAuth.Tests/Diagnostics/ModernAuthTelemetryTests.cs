using System.Collections.Concurrent;
using System.Diagnostics;
using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Tests.Diagnostics;

public sealed class ModernAuthTelemetryTests
{
    [Fact]
    public async Task ActivitySource_IdentityProviderCall_RecordsSpanWithoutToken()
    {
        var secret = TestModels.NewSecret();
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(secret)));
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ModernAuthDefaults.TelemetryName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if ((string?)activity.GetTagItem(ModernAuthTelemetry.ProviderTag) == harness.Provider.Name)
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var token = await harness.GetAsync();
        await harness.GetAsync();

        var span = Assert.Single(spans);
        Assert.Equal(ModernAuthTelemetry.AcquireTokenActivityName, span.OperationName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
        Assert.Equal(harness.Provider.TenantId, span.GetTagItem(ModernAuthTelemetry.TenantTag));
        Assert.Equal("IdentityProvider", span.GetTagItem(ModernAuthTelemetry.TokenSourceTag));
        Assert.All(span.TagObjects, tag =>
        {
            Assert.NotEqual(token.Token, tag.Value as string);
            Assert.NotEqual(secret, tag.Value as string);
        });
    }
}
