namespace XCally.ModernAuth.Samples.Console;

/// <summary>What the sample's exit code means, for scripts that run it.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Unexpected = 1;
    public const int BadArguments = 2;
    public const int InvalidConfiguration = 3;
    public const int AuthenticationFailed = 4;
    public const int CheckFailed = 5;
}
