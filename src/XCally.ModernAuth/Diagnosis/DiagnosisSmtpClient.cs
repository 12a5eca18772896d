using MailKit;
using MailKit.Net.Smtp;

namespace XCally.ModernAuth.Internal;

/// <summary>An SMTP client that can send <c>MAIL FROM</c> and <c>RSET</c> on their own, so a diagnosis checks the sender without sending.</summary>
internal sealed class DiagnosisSmtpClient(IProtocolLogger logger) : SmtpClient(logger)
{
    public Task<SmtpResponse> CommandAsync(string command, CancellationToken cancellationToken) => SendCommandAsync(command, cancellationToken);
}
