using PuppeteerSharp;

namespace XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

/// <summary>
/// Where the browser tests keep what a person would look at: under the test output folder (ignored by git), a screenshot of each
/// step's page (<c>artifacts/steps</c>) and of each failure (<c>artifacts/failures</c>); and the documentation's screenshot, copied into <c>docs/images</c> when
/// <c>UPDATE_DOCS_SCREENSHOTS=1</c>.
/// </summary>
public static class Artifacts
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts");

    /// <summary>Runs a browser scenario; on any failure, saves a full-page screenshot named after the step, then fails as it did.</summary>
    public static async Task StepAsync(IPage page, string testName, string step, Func<Task> action)
    {
        try
        {
            await action();
            await SaveAsync(page, "steps", $"{testName}-{step}");
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.SkipException)
        {
            var path = await SaveAsync(page, "failures", $"{testName}-{step}");
            throw new InvalidOperationException($"Step '{step}' failed at {page.Url}; screenshot {path}. {exception.Message}", exception);
        }
    }

    public static async Task<string> SaveAsync(IPage page, string folder, string name)
    {
        var directory = Path.Combine(Directory, folder);
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-')) + ".png");
        try
        {
            await page.ScreenshotAsync(path, new ScreenshotOptions { FullPage = true });
        }
        catch (PuppeteerException)
        {
            // The page itself is gone; the failure is reported anyway.
        }

        return path;
    }

    /// <summary>Saves the documentation's screenshot, and copies it into the repository's docs/images when asked to.</summary>
    public static async Task SaveForDocsAsync(IPage page, string name)
    {
        var path = await SaveAsync(page, "docs", name);
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS_SCREENSHOTS") == "1" && FindRepositoryRoot() is { } root)
        {
            var target = Path.Combine(root, "docs", "images");
            System.IO.Directory.CreateDirectory(target);
            File.Copy(path, Path.Combine(target, Path.GetFileName(path)), overwrite: true);
        }
    }

    private static string? FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "XCally.ModernAuth.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
