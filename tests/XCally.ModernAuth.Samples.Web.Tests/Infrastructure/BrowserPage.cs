using PuppeteerSharp;

namespace XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

/// <summary>A Chromium tab on the console, with the few actions the tests take as a person would: open, fill, click, read.</summary>
public sealed class BrowserPage(IPage page, Uri baseAddress)
{
    public IPage Page => page;

    public string Url => page.Url;

    public async Task<IResponse> OpenAsync(string path)
    {
        var response = await page.GoToAsync(new Uri(baseAddress, path).ToString(), WaitUntilNavigation.Load);
        return response;
    }

    public async Task FillAsync(string selector, string value)
    {
        await page.WaitForSelectorAsync(selector);
        await page.EvaluateFunctionAsync("(s) => { const e = document.querySelector(s); e.value = ''; }", selector);
        if (value.Length > 0)
        {
            await page.TypeAsync(selector, value);
        }
    }

    public Task SelectAsync(string selector, string value) => page.SelectAsync(selector, value);

    public async Task SetCheckedAsync(string selector, bool value)
    {
        var current = await page.EvaluateFunctionAsync<bool>("(s) => document.querySelector(s).checked", selector);
        if (current != value)
        {
            await page.ClickAsync(selector);
        }
    }

    /// <summary>Clicks a button or link and waits for the page (after every redirect) to load.</summary>
    public async Task<IResponse> ClickAndWaitAsync(string selector)
    {
        var navigation = page.WaitForNavigationAsync(new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 60_000 });
        await page.ClickAsync(selector);
        return await navigation;
    }

    public async Task<string> TextAsync(string selector)
    {
        var element = await page.WaitForSelectorAsync(selector, new WaitForSelectorOptions { Timeout = 15_000 });
        return await element.EvaluateFunctionAsync<string>("e => e.textContent.trim()");
    }

    public async Task<bool> ExistsAsync(string selector) => await page.QuerySelectorAsync(selector) is not null;

    public async Task<string[]> AllTextAsync(string selector) =>
        await page.EvaluateFunctionAsync<string[]>("(s) => Array.from(document.querySelectorAll(s)).map(e => e.textContent.trim())", selector);

    public Task<string> HtmlAsync() => page.GetContentAsync();
}
