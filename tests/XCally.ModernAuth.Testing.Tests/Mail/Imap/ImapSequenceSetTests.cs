using XCally.ModernAuth.Testing.Mail.Imap;

namespace XCally.ModernAuth.Testing.Tests.Mail.Imap;

public class ImapSequenceSetTests
{
    [Theory]
    [InlineData("1,3:4", 5, new uint[] { 1, 3, 4 })]
    [InlineData("4:*", 5, new uint[] { 4, 5 })]
    [InlineData("7:*", 5, new uint[] { 5, 6, 7 })]
    [InlineData("*", 5, new uint[] { 5 })]
    public void Contains_ParsedSet_MatchesExactlyTheMembers(string text, uint largest, uint[] members)
    {
        var set = ImapSequenceSet.TryParse(text, largest);

        Assert.NotNull(set);
        Assert.Equal(members, Enumerable.Range(1, 8).Select(i => (uint)i).Where(set.Contains));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("1:")]
    [InlineData("a")]
    [InlineData("99999999999")]
    public void TryParse_Malformed_ReturnsNull(string text)
    {
        Assert.Null(ImapSequenceSet.TryParse(text, 5));
    }
}
