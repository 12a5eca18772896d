namespace XCally.ModernAuth.InteropTests;

/// <summary>Every interop test shares one running mail stack.</summary>
[CollectionDefinition(Name)]
public sealed class MailStackCollection : ICollectionFixture<MailStackFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Real mail servers";
}
