using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace XCally.ModernAuth.Testing.Mail.Internal;

/// <summary>What every session of one <see cref="EmulatorMailServer"/> shares: the directory, the token validator, limits and counters.</summary>
internal sealed partial class MailServerContext
{
    private readonly ConcurrentDictionary<string, int> _mailboxSessions = new(StringComparer.OrdinalIgnoreCase);
    private readonly int[] _succeeded = new int[3];
    private readonly int[] _failed = new int[3];
    private int _faults;

    public MailServerContext(EmulatorDirectory directory, EmulatorSigningKey signingKey, X509Certificate2 certificate, TimeProvider timeProvider, EmulatorMailServerOptions options)
    {
        Directory = directory;
        Certificate = certificate;
        TimeProvider = timeProvider;
        Options = options;
        Logger = options.LoggerFactory?.CreateLogger<EmulatorMailServer>() ?? NullLogger<EmulatorMailServer>.Instance;
        Tokens = new MailTokenValidator(directory, signingKey, timeProvider, options.TokenClockSkew, options.RefuseAuthenticateWithoutFullAccess);
    }

    public EmulatorDirectory Directory { get; }

    public X509Certificate2 Certificate { get; }

    public TimeProvider TimeProvider { get; }

    public EmulatorMailServerOptions Options { get; }

    public MailTokenValidator Tokens { get; }

    public ILogger Logger { get; }

    public int FaultCount => Volatile.Read(ref _faults);

    public MailAuthenticationCounts GetCounts(MailProtocol protocol) =>
        new(Volatile.Read(ref _succeeded[(int)protocol]), Volatile.Read(ref _failed[(int)protocol]));

    public void RecordAuthentication(MailProtocol protocol, MailAuthResult result)
    {
        if (result.Outcome == MailAuthOutcome.Succeeded)
        {
            Interlocked.Increment(ref _succeeded[(int)protocol]);
        }
        else
        {
            Interlocked.Increment(ref _failed[(int)protocol]);
            LogAuthenticationRefused(Logger, protocol, result.Outcome, result.Reason);
        }
    }

    public void RecordFault(MailProtocol protocol, Exception exception)
    {
        Interlocked.Increment(ref _faults);
        LogSessionFaulted(Logger, protocol, exception);
    }

    public bool TryClaimMailbox(EmulatorMailbox mailbox)
    {
        while (true)
        {
            var current = _mailboxSessions.GetOrAdd(mailbox.Address, 0);
            if (current >= Options.MaxSessionsPerMailbox)
            {
                return false;
            }

            if (_mailboxSessions.TryUpdate(mailbox.Address, current + 1, current))
            {
                return true;
            }
        }
    }

    public void ReleaseMailbox(EmulatorMailbox mailbox) => _mailboxSessions.AddOrUpdate(mailbox.Address, 0, (_, count) => Math.Max(0, count - 1));

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Protocol} authentication refused ({Outcome}): {Reason}")]
    private static partial void LogAuthenticationRefused(ILogger logger, MailProtocol protocol, MailAuthOutcome outcome, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "A {Protocol} session ended with an unexpected error")]
    private static partial void LogSessionFaulted(ILogger logger, MailProtocol protocol, Exception exception);
}
