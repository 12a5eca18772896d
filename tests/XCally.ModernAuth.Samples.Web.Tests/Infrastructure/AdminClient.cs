using System.Net;
using System.Text.RegularExpressions;

namespace XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

/// <summary>The console's forms posted over HTTP as a browser posts them: the anti-forgery token read from the page, cookies kept.</summary>
public sealed partial class AdminClient(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    public async Task SignInAsync(string password)
    {
        using var response = await PostFormAsync("/signin", new Dictionary<string, string> { ["UserName"] = "admin", ["Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    public async Task<string> AntiforgeryTokenAsync(string page)
    {
        var html = await http.GetStringAsync(page);
        return AntiforgeryField().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"{page} has no anti-forgery token.");
    }

    public async Task<HttpResponseMessage> PostFormAsync(string page, IDictionary<string, string> fields, string? formPage = null)
    {
        var values = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(formPage ?? page) };
        using var content = new FormUrlEncodedContent(values);
        return await http.PostAsync(page, content);
    }

    public async Task<HttpResponseMessage> PostMultipartAsync(string page, IDictionary<string, string> fields, (string Name, string FileName, byte[] Bytes)? file = null)
    {
        using var content = new MultipartFormDataContent
        {
            { new StringContent(await AntiforgeryTokenAsync(page)), "__RequestVerificationToken" },
        };
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        if (file is { } upload)
        {
            content.Add(new ByteArrayContent(upload.Bytes), upload.Name, upload.FileName);
        }

        return await http.PostAsync(page, content);
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
