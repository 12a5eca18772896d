using MimeKit;
using XCally.ModernAuth.Samples.Worker;

namespace XCally.ModernAuth.Samples.Tests.Replies;

public class AcknowledgementReplyTests
{
    private const string Account = "support@contoso.com";
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Create_CustomerMessage_ThreadedReplyFromAccountToSender()
    {
        var original = Customer("Where is my order?");
        original.References.Add("<earlier@fabrikam.example>");

        var reply = AcknowledgementReply.Create(original, Account, Now)!;

        Assert.Equal(Account, reply.From.Mailboxes.Single().Address);
        Assert.Equal("alex@fabrikam.example", reply.To.Mailboxes.Single().Address);
        Assert.Equal("Re: Where is my order?", reply.Subject);
        Assert.Equal(original.MessageId, reply.InReplyTo);
        Assert.Equal(new[] { "earlier@fabrikam.example", original.MessageId }, reply.References.ToArray());
        Assert.Equal("auto-replied", reply.Headers["Auto-Submitted"]);
        Assert.Equal(Now, reply.Date);
        Assert.EndsWith("@contoso.com", reply.MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ReplyToSet_RepliesToReplyTo()
    {
        var original = Customer("Invoice");
        original.ReplyTo.Add(MailboxAddress.Parse("billing@fabrikam.example"));

        var reply = AcknowledgementReply.Create(original, Account, Now)!;

        Assert.Equal("billing@fabrikam.example", reply.To.Mailboxes.Single().Address);
    }

    [Fact]
    public void Create_SubjectAlreadyReply_NotPrefixedTwice()
    {
        var reply = AcknowledgementReply.Create(Customer("RE: Invoice"), Account, Now)!;

        Assert.Equal("RE: Invoice", reply.Subject);
    }

    [Theory]
    [InlineData("Auto-Submitted", "auto-replied")]
    [InlineData("Auto-Submitted", "auto-generated")]
    [InlineData("Precedence", "bulk")]
    [InlineData("Precedence", "list")]
    public void Create_AutomaticMessage_NoReply(string header, string value)
    {
        var original = Customer("Out of office");
        original.Headers.Add(header, value);

        Assert.Null(AcknowledgementReply.Create(original, Account, Now));
    }

    [Fact]
    public void Create_AutoSubmittedNo_Replies()
    {
        var original = Customer("Hello");
        original.Headers.Add("Auto-Submitted", "no");

        Assert.NotNull(AcknowledgementReply.Create(original, Account, Now));
    }

    [Fact]
    public void Create_FromTheAccountItself_NoReplyToAvoidALoop()
    {
        var original = Customer("Hello");
        original.From.Clear();
        original.From.Add(MailboxAddress.Parse("SUPPORT@contoso.com"));

        Assert.Null(AcknowledgementReply.Create(original, Account, Now));
    }

    [Fact]
    public void Create_NoSender_NoReply()
    {
        var original = Customer("Hello");
        original.From.Clear();

        Assert.Null(AcknowledgementReply.Create(original, Account, Now));
    }

    private static MimeMessage Customer(string subject)
    {
        var message = new MimeMessage { Subject = subject, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("fabrikam.example") };
        message.From.Add(new MailboxAddress("Alex Customer", "alex@fabrikam.example"));
        message.To.Add(MailboxAddress.Parse(Account));
        message.Body = new TextPart("plain") { Text = "Hello" };
        return message;
    }
}
