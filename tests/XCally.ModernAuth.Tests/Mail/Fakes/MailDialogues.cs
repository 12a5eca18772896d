namespace XCally.ModernAuth.Tests.Mail.Fakes;

/// <summary>The standard server sides of IMAP, POP3 and SMTP dialogues (as Exchange Online answers), to which a test adds its own rules first.</summary>
internal static class MailDialogues
{
    /// <summary>A base64 SASL response line (POP3 sends it after a "+ " continuation).</summary>
    public const string SaslResponse = "^[A-Za-z0-9+/]{20,}=*$";

    public const string ImapCapabilities = "IMAP4rev1 SASL-IR AUTH=XOAUTH2 IDLE";

    public static ServerScript Imap(string capabilities = ImapCapabilities) =>
        new ServerScript($"* OK [CAPABILITY {capabilities}] Scripted IMAP4 server ready.", "{tag} BAD Command not expected by the script.")
            .On(@"^\S+ AUTHENTICATE ", "{tag} OK AUTHENTICATE completed.")
            .On(@"^\S+ CAPABILITY$", $"* CAPABILITY {capabilities}", "{tag} OK CAPABILITY completed.")
            .On(@"^\S+ NAMESPACE$", "* NAMESPACE ((\"\" \"/\")) NIL NIL", "{tag} OK NAMESPACE completed.")
            .On(@"^\S+ LIST """" """"$", "* LIST (\\Noselect) \"/\" \"\"", "{tag} OK LIST completed.")
            .On(@"^\S+ LIST ", "* LIST (\\HasNoChildren) \"/\" INBOX", "{tag} OK LIST completed.")
            .On(@"^\S+ STATUS ", "* STATUS INBOX (MESSAGES 1)", "{tag} OK STATUS completed.")
            .On(
                @"^\S+ (EXAMINE|SELECT) ",
                "* 1 EXISTS",
                "* 0 RECENT",
                "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)",
                "* OK [UIDVALIDITY 7] UIDs valid.",
                "* OK [UIDNEXT 2] The next unique identifier value.",
                "{tag} OK [READ-WRITE] SELECT completed.")
            .On(@"^\S+ NOOP$", "{tag} OK NOOP completed.")
            .On(@"^\S+ IDLE$", "+ idling")
            .On(@"^DONE$", "{tag} OK IDLE completed.")
            .OnThenHangUp(@"^\S+ LOGOUT$", "* BYE Microsoft Exchange Server IMAP4 server signing off.", "{tag} OK LOGOUT completed.");

    public static ServerScript Pop3(string saslMechanisms = "XOAUTH2") =>
        new ServerScript("+OK The Microsoft Exchange POP3 service is ready.", "-ERR Command not expected by the script.")
            .On("^CAPA$", "+OK", "TOP", "UIDL", "SASL " + saslMechanisms, "USER", ".")
            .On("^AUTH XOAUTH2$", "+ ")
            .On("^AUTH OAUTHBEARER$", "+ ")
            .On(SaslResponse, "+OK User successfully authenticated.")
            .On("^STAT$", "+OK 0 0")
            .OnThenHangUp("^QUIT$", "+OK Microsoft Exchange Server POP3 server signing off.");

    /// <summary>SMTP submission: AUTH is offered only after STARTTLS, like smtp.office365.com:587.</summary>
    public static ServerScript Smtp(string authMechanisms = "LOGIN XOAUTH2", bool offerStartTls = true) =>
        new ServerScript("220 scripted.test Microsoft ESMTP MAIL Service ready", "500 5.3.3 Unrecognized command")
            .Once("^EHLO ", offerStartTls
                ? ["250-scripted.test Hello", "250-SIZE 157286400", "250-STARTTLS", "250 8BITMIME"]
                : ["250-scripted.test Hello", "250-SIZE 157286400", "250 8BITMIME"])
            .OnStartTls("^STARTTLS$", "220 2.0.0 SMTP server ready")
            .On("^EHLO ", "250-scripted.test Hello", "250-SIZE 157286400", "250-AUTH " + authMechanisms, "250 8BITMIME")
            .On("^AUTH ", "235 2.7.0 Authentication successful")
            .OnThenHangUp("^QUIT$", "221 2.0.0 Service closing transmission channel");
}
