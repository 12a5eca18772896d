using MimeKit;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Tests.SharedMailboxes;

/// <summary>What the connector's SMTP clients let through, per account: a message fits or is refused before anything is sent.</summary>
public class SenderCheckTests
{
    private const string Support = "support@contoso.com";
    private const string Agent = "agent@contoso.com";

    private static readonly EmailAccount Own = new(Agent, Agent, "contoso", null, null, null);
    private static readonly EmailAccount SendAs = new(Support, Support, "contoso", null, null, null, Agent, SendPermission.SendAs);
    private static readonly EmailAccount OnBehalf = new(Support, Support, "contoso", null, null, null, Agent, SendPermission.SendOnBehalf);

    public static TheoryData<string, string, string?, string?> Fitting => new()
    {
        { "own", Agent, null, null },
        { "send-as", Support, null, null },
        { "send-as", Support, Support, null },
        { "send-as", Support, null, Support },
        { "send-as", Agent, null, null },
        { "on-behalf", Support, Agent, null },
        { "on-behalf", Support, Agent, Agent },
        { "on-behalf", Agent, null, null },
    };

    [Theory]
    [MemberData(nameof(Fitting))]
    public void Check_MessageFitsTheAccount_Passes(string account, string from, string? sender, string? envelope)
    {
        Assert.Null(SenderCheck.Check(Account(account), Message(from, sender), envelope is null ? null : MailboxAddress.Parse(envelope)));
    }

    public static TheoryData<string, string, string?, string?, string> Refused => new()
    {
        { "own", Support, null, null, "The message's From is 'support@contoso.com', but email account agent@contoso.com sends only as agent@contoso.com." },
        { "send-as", "sales@contoso.com", null, null, "The message's From is 'sales@contoso.com'" },
        { "send-as", Support, Agent, null, "The message's Sender is 'agent@contoso.com', which makes it a message sent on behalf of its From" },
        { "send-as", Support, null, Agent, "would be sent with MAIL FROM:<agent@contoso.com>, but email account support@contoso.com sends it with MAIL FROM:<support@contoso.com>" },
        { "on-behalf", Support, null, null, "which needs the header Sender: agent@contoso.com; the message has no Sender." },
        { "on-behalf", Support, "clerk@contoso.com", null, "the message has Sender: clerk@contoso.com" },
        { "on-behalf", Support, Agent, Support, "sends it with MAIL FROM:<agent@contoso.com>" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Check_MessageDoesNotFit_SendAsDeniedNamingTheFix(string account, string from, string? sender, string? envelope, string why)
    {
        var refusal = SenderCheck.Check(Account(account), Message(from, sender), envelope is null ? null : MailboxAddress.Parse(envelope));

        Assert.NotNull(refusal);
        Assert.Equal(ModernAuthErrorCategory.SendAsDenied, refusal.Category);
        Assert.Contains(why, refusal.Summary, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was sent.", refusal.Summary, StringComparison.Ordinal);
        Assert.Equal(Account(account).Address, refusal.AccountAddress);
        Assert.False(string.IsNullOrEmpty(refusal.Advice));
    }

    [Theory]
    [InlineData("own")]
    [InlineData("send-as")]
    [InlineData("on-behalf")]
    public void SetFromAccount_AnyMessage_ThenFitsTheAccount(string account)
    {
        var message = Message("someone@example.org", "other@example.org");
        message.From[0] = new MailboxAddress("Contoso Support", Account(account).Address);

        message.SetFromAccount(Account(account));

        Assert.Null(SenderCheck.Check(Account(account), message, envelopeSender: null));
        Assert.Equal("Contoso Support", message.From.Mailboxes.Single().Name);
        Assert.Equal(Account(account).SenderHeader, message.Sender?.Address);
    }

    private static EmailAccount Account(string kind) => kind switch
    {
        "own" => Own,
        "send-as" => SendAs,
        _ => OnBehalf,
    };

    private static MimeMessage Message(string from, string? sender)
    {
        var message = new MimeMessage { Subject = "Re: your order" };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("customer@example.org"));
        if (sender is not null)
        {
            message.Sender = MailboxAddress.Parse(sender);
        }

        return message;
    }
}
