using System.Globalization;

namespace XCally.ModernAuth.Benchmarks.Scale;

/// <summary>The machine's load average (what <c>uptime</c> prints), printed beside every figure taken while it held.</summary>
internal static class LoadAverage
{
    public static string Now()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Create(CultureInfo.InvariantCulture, $"{fields[0]} {fields[1]} {fields[2]}");
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
