using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Tests.Mail;

public class MailServerFailuresTests
{
    [Theory]
    [InlineData(MailProtocol.Imap, "NO AUTHENTICATE failed.", ModernAuthErrorCategory.MailboxAuthenticationFailed, true)]
    [InlineData(MailProtocol.Imap, "BAD User is authenticated but not connected.", ModernAuthErrorCategory.MailboxPermissionDenied, false)]
    [InlineData(MailProtocol.Imap, "NO [LIMIT] Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)", ModernAuthErrorCategory.ServerBusy, false)]
    [InlineData(MailProtocol.Imap, "BAD Request is throttled. Suggested Backoff Time: 178755 milliseconds", ModernAuthErrorCategory.ServerBusy, false)]
    [InlineData(MailProtocol.Imap, "NO [UNAVAILABLE] Maximum number of connections from user+IP exceeded (mail_max_userip_connections=16)", ModernAuthErrorCategory.ServerBusy, false)]
    [InlineData(MailProtocol.Pop3, "-ERR [IN-USE] Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)", ModernAuthErrorCategory.ServerBusy, false)]
    [InlineData(MailProtocol.Pop3, "-ERR [SYS/TEMP] Temporary problem, try again later.", ModernAuthErrorCategory.ServerBusy, false)]
    [InlineData(MailProtocol.Smtp, "454 4.7.0 Temporary authentication failure", ModernAuthErrorCategory.ServerBusy, false)]
    [InlineData(MailProtocol.Smtp, "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded", ModernAuthErrorCategory.ServerBusy, false)]
    [InlineData(MailProtocol.Pop3, "-ERR Authentication failure: unknown user name or bad password.", ModernAuthErrorCategory.MailboxAuthenticationFailed, true)]
    [InlineData(MailProtocol.Smtp, "535 5.7.3 Authentication unsuccessful [SN4PR0601CA0005.namprd06.prod.outlook.com]", ModernAuthErrorCategory.MailboxAuthenticationFailed, true)]
    [InlineData(MailProtocol.Smtp, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.", ModernAuthErrorCategory.ProtocolDisabled, false)]
    public void Find_KnownResponse_CategoryAndRetry(MailProtocol protocol, string response, ModernAuthErrorCategory category, bool retry)
    {
        var failure = MailServerFailures.Find(protocol, response);

        Assert.NotNull(failure);
        Assert.Equal(category, failure.Category);
        Assert.Equal(retry, failure.RetryWithFreshToken);
    }

    [Fact]
    public void Find_ResponseOfAnotherProtocol_NoMatch()
    {
        Assert.Null(MailServerFailures.Find(MailProtocol.Imap, "535 5.7.139 Authentication unsuccessful"));
        Assert.Null(MailServerFailures.Find(MailProtocol.Smtp, "NO Mailbox is full"));
    }

    [Theory]
    [InlineData(MailProtocol.Imap)]
    [InlineData(MailProtocol.Pop3)]
    [InlineData(MailProtocol.Smtp)]
    public void Fallback_EachProtocol_RetriedMailboxAuthenticationFailed(MailProtocol protocol)
    {
        var failure = MailServerFailures.Fallback(protocol);

        Assert.Equal(ModernAuthErrorCategory.MailboxAuthenticationFailed, failure.Category);
        Assert.True(failure.RetryWithFreshToken);
    }

    [Fact]
    public void All_EveryEntry_HasSummaryAndAdviceForBothFlows()
    {
        Assert.All(MailServerFailures.All, failure =>
        {
            Assert.False(string.IsNullOrWhiteSpace(failure.Summary));
            Assert.Contains("{mailbox}", failure.AppOnlyAdvice + failure.DelegatedAdvice, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(failure.DelegatedAdvice));
        });
        Assert.DoesNotContain(MailServerFailures.All, f => f.RetryWithFreshToken && f.Category == ModernAuthErrorCategory.ProtocolDisabled);
    }
}
