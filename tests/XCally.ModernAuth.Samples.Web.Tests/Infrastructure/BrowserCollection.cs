namespace XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

/// <summary>The browser tests run one at a time: each starts a console, its emulators and a Chromium, and the machine has two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "browser";
}
