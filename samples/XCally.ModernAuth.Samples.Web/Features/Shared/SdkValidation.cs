using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace XCally.ModernAuth.Samples.Web.Features.Shared;

/// <summary>
/// Puts the SDK's validation problems next to the form fields they concern. <see cref="CloudProvider.Create"/>,
/// <see cref="EmailAccount.Create"/> and <c>SalesforceProvider.Create</c> throw one <see cref="ModernAuthException"/> whose message lists
/// every problem as <c>{path}:{Setting}: {problem}</c> joined by <c>; </c> (the path is <c>CloudProviders:{name}</c> or
/// <c>EmailAccounts:{address}</c>); the SDK offers no list of problems, so this reads them back from the message.
/// </summary>
public static class SdkValidation
{
    /// <summary>Adds each problem to <paramref name="modelState"/> under the form field its setting maps to; the rest under <paramref name="fallbackField"/>.</summary>
    /// <returns>How many problems were found.</returns>
    public static int AddTo(ModelStateDictionary modelState, ModernAuthException exception, string path, Func<string, string?> fieldOf, string fallbackField)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(fieldOf);
        var problems = Read(exception.Message, path);
        foreach (var (setting, text) in problems)
        {
            modelState.AddModelError(fieldOf(setting) ?? fallbackField, text);
        }

        if (problems.Count == 0)
        {
            modelState.AddModelError(fallbackField, exception.Message);
        }

        return Math.Max(problems.Count, 1);
    }

    /// <summary>The problems of one path: the setting (first segment after the path, empty for the entry itself) and the text.</summary>
    public static IReadOnlyList<(string Setting, string Text)> Read(string message, string path)
    {
        ArgumentNullException.ThrowIfNull(message);
        var prefix = Regex.Escape(path);
        var pattern = new Regex($@"(?:: |; ){prefix}(?::(?<setting>[A-Za-z0-9]+)(?::[A-Za-z0-9]+)*)?: (?<text>.*?)(?=; {prefix}(?::[A-Za-z0-9]+)*: |$)", RegexOptions.Singleline | RegexOptions.CultureInvariant);
        return [.. pattern.Matches(message).Select(match => (match.Groups["setting"].Value, match.Groups["text"].Value.TrimEnd('.', ' ')))];
    }
}
