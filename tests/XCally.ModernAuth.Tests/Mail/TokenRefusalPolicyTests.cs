using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.Mail.Fakes;

namespace XCally.ModernAuth.Tests.Mail;

public class TokenRefusalPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    private static EmailAccount Mailbox(string localPart) =>
        new($"{localPart}@contoso.test", $"{localPart}@contoso.test", MailTestData.ProviderName, new MailEndpoint("outlook.office365.com", 993, MailTlsMode.Implicit), null, null);

    private AccessToken Token(string value, TimeSpan lifetime) =>
        new(value, Now + lifetime, ["https://outlook.office365.com/.default"], TokenSource.Cache);

    [Fact]
    public void OnRefused_FirstRefusalOfAToken_Invalidate()
    {
        var policy = new TokenRefusalPolicy(_time);

        Assert.Equal(TokenRefusalDecision.Invalidate, policy.OnRefused(Mailbox("a"), MailProtocol.Imap, Token("t1", TimeSpan.FromHours(1))));
    }

    [Fact]
    public void OnRefused_SameTokenByAnotherMailbox_RetryWithCurrentWithoutInvalidatingAgain()
    {
        var policy = new TokenRefusalPolicy(_time);
        var token = Token("t1", TimeSpan.FromHours(1));
        policy.OnRefused(Mailbox("a"), MailProtocol.Imap, token);

        Assert.Equal(TokenRefusalDecision.RetryWithCurrent, policy.OnRefused(Mailbox("b"), MailProtocol.Imap, token));
    }

    [Fact]
    public void OnRefused_FreshTokenTheMailboxRefusedBefore_MailboxProblem()
    {
        var policy = new TokenRefusalPolicy(_time);
        var fresh = Token("t2", TimeSpan.FromHours(1));
        policy.OnRefusedAgain(Mailbox("a"), MailProtocol.Imap, fresh);

        Assert.Equal(TokenRefusalDecision.MailboxProblem, policy.OnRefused(Mailbox("A"), MailProtocol.Imap, fresh));

        // Another mailbox refusing that token is its first refusal: the token may be the cause there.
        Assert.Equal(TokenRefusalDecision.Invalidate, policy.OnRefused(Mailbox("b"), MailProtocol.Imap, fresh));
    }

    [Fact]
    public void OnRefused_SameMailboxOtherProtocol_NotTheSameRefusal()
    {
        var policy = new TokenRefusalPolicy(_time);
        var fresh = Token("t2", TimeSpan.FromHours(1));
        policy.OnRefusedAgain(Mailbox("a"), MailProtocol.Imap, fresh);

        Assert.Equal(TokenRefusalDecision.Invalidate, policy.OnRefused(Mailbox("a"), MailProtocol.Smtp, fresh));
    }

    [Fact]
    public void OnRefused_TokenCloseToExpiryRefusedBefore_GetsItsReplacementOnceMoreButIsNotInvalidatedTwice()
    {
        var policy = new TokenRefusalPolicy(_time);
        var old = Token("t1", TimeSpan.FromMinutes(4));
        Assert.Equal(TokenRefusalDecision.Invalidate, policy.OnRefused(Mailbox("a"), MailProtocol.Imap, old));

        Assert.Equal(TokenRefusalDecision.RetryWithCurrent, policy.OnRefused(Mailbox("a"), MailProtocol.Imap, old));
    }

    [Fact]
    public void OnRefused_ExpiredEntries_Forgotten()
    {
        var policy = new TokenRefusalPolicy(_time);
        policy.OnRefused(Mailbox("a"), MailProtocol.Imap, Token("t1", TimeSpan.FromMinutes(10)));
        Assert.Equal(1, policy.Count);

        _time.Advance(TimeSpan.FromMinutes(11));
        policy.OnRefused(Mailbox("a"), MailProtocol.Imap, Token("t2", TimeSpan.FromHours(1)));

        Assert.Equal(1, policy.Count);
    }

    [Fact]
    public void For_SameTokenProvider_SamePolicy()
    {
        var provider = MailTestData.Tokens().Object;

        Assert.Same(TokenRefusalPolicies.For(provider), TokenRefusalPolicies.For(provider));
        Assert.NotSame(TokenRefusalPolicies.For(provider), TokenRefusalPolicies.For(MailTestData.Tokens().Object));
    }
}
