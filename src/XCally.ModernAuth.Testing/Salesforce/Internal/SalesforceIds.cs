using System.Text;

namespace XCally.ModernAuth.Testing.Salesforce.Internal;

/// <summary>Record ids shaped like Salesforce's: a 3-character key prefix, 12 characters, and the 3-character case checksum (18 in all).</summary>
internal sealed class SalesforceIds
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string Checksum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Account"] = "001",
        ["Contact"] = "003",
        ["User"] = "005",
        ["Organization"] = "00D",
        ["Case"] = "500",
        ["EmailMessage"] = "02s",
        ["ContentVersion"] = "068",
        ["ContentDocument"] = "069",
    };

    private long _next = 1;

    public string Next(string type)
    {
        var number = Interlocked.Increment(ref _next);
        var body = new StringBuilder("5g").Append('0', 10);
        for (var i = body.Length - 1; number > 0; i--, number /= 62)
        {
            body[i] = Base62[(int)(number % 62)];
        }

        var id = Prefixes.GetValueOrDefault(type, "a00") + body;
        var suffix = new StringBuilder(3);
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (char.IsAsciiLetterUpper(id[(chunk * 5) + i]))
                {
                    bits |= 1 << i;
                }
            }

            suffix.Append(Checksum[bits]);
        }

        return id + suffix;
    }
}
