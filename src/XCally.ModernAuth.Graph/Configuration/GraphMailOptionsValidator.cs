using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Graph.Internal;

/// <summary>Checks the Graph transport's options at start, each problem with the setting and the fix.</summary>
internal sealed class GraphMailOptionsValidator : IValidateOptions<GraphMailOptions>
{
    private const int SliceUnit = 320 * 1024;

    public ValidateOptionsResult Validate(string? name, GraphMailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.BaseUrl is { } url)
        {
            if (!url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttps)
            {
                problems.Add($"GraphMailOptions.BaseUrl: '{url}' is not an https URL; Graph tokens travel only over TLS");
            }
            else if (!options.AllowNonMicrosoftGraphHost && !GraphHosts.IsMicrosoftGraph(url))
            {
                problems.Add($"GraphMailOptions.BaseUrl: '{url.Host}' is not a Microsoft Graph host ({string.Join(", ", GraphHosts.All)}); set AllowNonMicrosoftGraphHost for an emulator");
            }
        }

        if (options.LargeMessageThreshold is <= 0 or > 3 * 1024 * 1024)
        {
            problems.Add($"GraphMailOptions.LargeMessageThreshold: {options.LargeMessageThreshold} must be between 1 and 3145728 bytes (Graph takes 4 MB per request, base64 adds a third)");
        }

        if (options.UploadSessionThreshold is <= 0 or > 3 * 1024 * 1024)
        {
            problems.Add($"GraphMailOptions.UploadSessionThreshold: {options.UploadSessionThreshold} must be between 1 and 3145728 bytes");
        }

        if (options.UploadSliceSize <= 0 || options.UploadSliceSize % SliceUnit != 0 || options.UploadSliceSize > 60 * 1024 * 1024)
        {
            problems.Add($"GraphMailOptions.UploadSliceSize: {options.UploadSliceSize} must be a multiple of 327680 (320 KiB), at most 60 MiB");
        }

        if (options.MaxConcurrentRequestsPerMailbox is < 1 or > 4)
        {
            problems.Add($"GraphMailOptions.MaxConcurrentRequestsPerMailbox: {options.MaxConcurrentRequestsPerMailbox} must be 1 to 4 (Exchange answers 429 beyond 4 per mailbox)");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            problems.Add($"GraphMailOptions.MaxRetries: {options.MaxRetries} must be 0 to 10");
        }

        if (options.MaxBatchSize is < 1 or > 1000)
        {
            problems.Add($"GraphMailOptions.MaxBatchSize: {options.MaxBatchSize} must be 1 to 1000");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
