using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Testing;

/// <summary>The identity server's log messages; they name clients and grant types, never secrets or tokens.</summary>
public sealed partial class EmulatorIdentityServer
{
    [LoggerMessage(1, LogLevel.Information, "Emulator identity platform listening at {BaseAddress}")]
    private partial void LogStarted(Uri baseAddress);

    [LoggerMessage(2, LogLevel.Debug, "Issued tokens for grant {GrantType} to client {ClientId}")]
    internal partial void LogIssued(string grantType, string clientId);

    [LoggerMessage(3, LogLevel.Debug, "Refused {GrantType} request from client {ClientId}: {Error} AADSTS{Code}")]
    internal partial void LogRefused(string grantType, string clientId, string error, int code);

    [LoggerMessage(4, LogLevel.Debug, "Injected fault {Fault} into a token request from client {ClientId}")]
    internal partial void LogFault(EmulatorFault fault, string clientId);
}
