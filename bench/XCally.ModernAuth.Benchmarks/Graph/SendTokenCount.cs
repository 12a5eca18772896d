using System.Globalization;

namespace XCally.ModernAuth.Benchmarks.Graph;

/// <summary>
/// 1,000 sends by Graph and 1,000 by SMTP from one host each, counting the token requests that reach the emulator's identity
/// platform (want 1 per transport: the token is cached per resource and reused until its refresh time).
/// </summary>
internal static class SendTokenCount
{
    public const int Sends = 1000;

    public static async Task<int> RunAsync(TextWriter output)
    {
        await using var stack = await SendStack.StartAsync();
        var counters = stack.Emulator.Identity.Counters;
        output.WriteLine($"Token requests per {Sends.ToString(CultureInfo.InvariantCulture)} sends, counted at the emulator");
        output.WriteLine("| Transport | Sends | Token requests | Messages delivered |");
        output.WriteLine("|---|---:|---:|---:|");

        var inbox = stack.Emulator.Mailboxes.Single(m => m.Address == stack.To);
        var results = new List<int>();
        foreach (var (name, transport) in new[] { ("Graph sendMail", stack.Graph), ("SMTP (XOAUTH2)", stack.Smtp) })
        {
            counters.Reset();
            var before = inbox.Messages.Count;
            for (var i = 0; i < Sends; i++)
            {
                await transport.SendAsync(stack.Message($"{name} {i}"));
            }

            var requests = counters.TokenRequests;
            results.Add(requests);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Sends} | {requests} | {inbox.Messages.Count - before} |"));
        }

        return results.All(requests => requests == 1) ? 0 : 1;
    }
}
