namespace XCally.ModernAuth.Testing.Mail.Internal;

/// <summary>What a port serves: a protocol, and TLS from the first byte or by STARTTLS.</summary>
/// <param name="Protocol">The protocol.</param>
/// <param name="ImplicitTls">Whether TLS starts on connect.</param>
internal readonly record struct MailListenerKind(MailProtocol Protocol, bool ImplicitTls)
{
    public MailTlsMode TlsMode => ImplicitTls ? MailTlsMode.Implicit : MailTlsMode.StartTls;
}
