using PuppeteerSharp;

namespace XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, or <c>CHROMIUM_PATH</c>), driven by PuppeteerSharp over the DevTools protocol; nothing is
/// downloaded. Headless, with a new empty profile, the background networking that a closed network refuses switched off, and
/// trusting exactly the certificates given (the console's and the emulator's, by their keys). Without Chromium the test is skipped
/// with the install command, and under <c>CI=true</c> it fails.
/// </summary>
public static class Chromium
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(string profileDirectory, params string[] trustedSpkiHashes)
    {
        if (!File.Exists(ExecutablePath))
        {
            const string Missing = "Chromium is not installed: apt-get install chromium (the browser tests drive Debian's Chromium; nothing is downloaded).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(Missing);
            }

            Assert.Skip(Missing);
        }

        Directory.CreateDirectory(profileDirectory);
        return await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            UserDataDir = profileDirectory,
            Timeout = 60_000,
            ProtocolTimeout = 120_000,
            DefaultViewport = new ViewPortOptions { Width = 1100, Height = 760 },
            Args =
            [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                $"--ignore-certificate-errors-spki-list={string.Join(',', trustedSpkiHashes)}",
            ],
        });
    }
}
