using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>
/// For the demo against the emulator only: a customer at another company who writes to each of the contact center's mailboxes a
/// few times and prints the acknowledgements that arrive in their own mailbox.
/// </summary>
public sealed partial class DemoCustomer : BackgroundService
{
    private const int Rounds = 3;
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(3);
    private readonly ModernAuthEmulator _emulator;
    private readonly ILogger _logger;

    /// <summary>Creates the customer.</summary>
    /// <param name="emulator">The running emulator whose mailboxes the channel serves.</param>
    /// <param name="logger">Where the customer's side is printed.</param>
    public DemoCustomer(ModernAuthEmulator emulator, ILogger<DemoCustomer> logger)
    {
        _emulator = emulator;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The contact center's (shared) mailboxes, taken before the customer's own is added; an agent's own mailbox is not one.
        var channelMailboxes = _emulator.Mailboxes.Where(mailbox => mailbox.Owner is null).ToList();
        var customerTenant = _emulator.Directory.AddTenant("fabrikam.example");
        var customer = _emulator.Directory.AddMailbox(customerTenant, "alex@fabrikam.example");
        customer.MessageDelivered += (_, e) => LogAcknowledgementArrived(_logger, e.Message.From.ToString(), e.Message.Subject);

        for (var round = 1; round <= Rounds; round++)
        {
            await Task.Delay(Pause, stoppingToken);
            foreach (var mailbox in channelMailboxes)
            {
                var message = new MimeMessage { Subject = $"Question {round} for {mailbox.Address}" };
                message.From.Add(new MailboxAddress("Alex Customer", customer.Address));
                message.To.Add(MailboxAddress.Parse(mailbox.Address));
                message.Body = new TextPart("plain") { Text = "Hello, where is my order?" };
                mailbox.Deliver(message);
                LogSent(_logger, mailbox.Address, message.Subject);
            }
        }

        LogDone(_logger);
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Customer -> {Mailbox}: \"{Subject}\"")]
    private static partial void LogSent(ILogger logger, string mailbox, string subject);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Customer <- {From}: \"{Subject}\"")]
    private static partial void LogAcknowledgementArrived(ILogger logger, string from, string? subject);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "Customer has written all their messages; press Ctrl+C to stop")]
    private static partial void LogDone(ILogger logger);
}
