using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>The default <see cref="ISalesforceClient"/>, over <c>IHttpClientFactory</c> and System.Text.Json.</summary>
internal sealed partial class SalesforceClient(
    string providerName,
    SalesforceSessionProvider sessions,
    IHttpClientFactory httpClientFactory,
    TimeProvider timeProvider,
    ILogger logger) : ISalesforceClient
{
    // A field, not only the primary constructor's parameter: the 8.0 logging generator (net8.0) looks for an ILogger field.
    private readonly ILogger _logger = logger;

    public string ProviderName { get; } = providerName;

    public async Task<string> CreateRecordAsync(string objectType, IReadOnlyDictionary<string, object?> fields, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectType);
        ArgumentNullException.ThrowIfNull(fields);
        using var result = await SendAsync($"creating a {objectType}", HttpMethod.Post, $"sobjects/{Uri.EscapeDataString(objectType)}", fields, cancellationToken).ConfigureAwait(false);
        return result!.RootElement.GetProperty("id").GetString()!;
    }

    public async Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        using var result = await SendAsync("a SOQL query", HttpMethod.Get, $"query?q={Uri.EscapeDataString(soql)}", body: null, cancellationToken).ConfigureAwait(false);
        var root = result!.RootElement;
        var records = root.GetProperty("records").EnumerateArray().Select(record => record.Clone()).ToList();
        var next = root.TryGetProperty("nextRecordsUrl", out var url) ? url.GetString() : null;
        return new SalesforceQueryResult(root.GetProperty("totalSize").GetInt32(), records, next);
    }

    public async Task<string?> FindContactIdByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var result = await QueryAsync($"SELECT Id FROM Contact WHERE Email = {Soql.Quote(email)} ORDER BY CreatedDate LIMIT 1", cancellationToken).ConfigureAwait(false);
        return result.Records.Count == 0 ? null : result.Records[0].GetProperty("Id").GetString();
    }

    public Task<string> CreateCaseAsync(SalesforceCase newCase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newCase);
        return CreateRecordAsync("Case", newCase.ToFields(), cancellationToken);
    }

    public Task<string> CreateEmailMessageAsync(SalesforceEmailMessage email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        return CreateRecordAsync("EmailMessage", email.ToFields(), cancellationToken);
    }

    public async Task<SalesforceCaseWithEmail> CreateCaseWithEmailMessageAsync(SalesforceCase newCase, SalesforceEmailMessage email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newCase);
        ArgumentNullException.ThrowIfNull(email);
        var version = await ApiVersionAsync(cancellationToken).ConfigureAwait(false);
        var composite = new Dictionary<string, object?>
        {
            ["allOrNone"] = true,
            ["compositeRequest"] = new object[]
            {
                new Dictionary<string, object?> { ["method"] = "POST", ["url"] = $"/services/data/v{version}/sobjects/Case", ["referenceId"] = "newCase", ["body"] = newCase.ToFields() },
                new Dictionary<string, object?> { ["method"] = "POST", ["url"] = $"/services/data/v{version}/sobjects/EmailMessage", ["referenceId"] = "newEmailMessage", ["body"] = email.ToFields("@{newCase.id}") },
            },
        };

        using var result = await SendAsync("creating a Case with its EmailMessage", HttpMethod.Post, "composite", composite, cancellationToken).ConfigureAwait(false);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var failures = new List<(int Status, RestError Error)>();
        foreach (var part in result!.RootElement.GetProperty("compositeResponse").EnumerateArray())
        {
            var status = part.GetProperty("httpStatusCode").GetInt32();
            var body = part.GetProperty("body");
            if (status is >= 200 and < 300)
            {
                ids[part.GetProperty("referenceId").GetString()!] = body.GetProperty("id").GetString()!;
            }
            else
            {
                failures.AddRange(ReadErrors(body).Select(error => (status, error)));
            }
        }

        // All or none: Salesforce reports the failing part's own error, and PROCESSING_HALTED for the others.
        if (failures.Count > 0 || ids.Count < 2)
        {
            var (status, error) = failures.FirstOrDefault(f => f.Error.ErrorCode != "PROCESSING_HALTED") is { Error: not null } real ? real : failures.FirstOrDefault();
            throw SalesforceErrors.FromRest(await ProviderAsync(cancellationToken).ConfigureAwait(false), "creating a Case with its EmailMessage", (HttpStatusCode)(status == 0 ? 500 : status), error?.ErrorCode, error?.Message, error?.Fields, retryAfter: null);
        }

        return new SalesforceCaseWithEmail(ids["newCase"], ids["newEmailMessage"]);
    }

    public async Task<SalesforceEmailMessageRecord?> FindEmailMessageAsync(string messageIdentifier, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageIdentifier);
        var result = await QueryAsync($"SELECT Id, ParentId FROM EmailMessage WHERE MessageIdentifier = {Soql.Quote(messageIdentifier)} ORDER BY CreatedDate LIMIT 1", cancellationToken).ConfigureAwait(false);
        if (result.Records.Count == 0)
        {
            return null;
        }

        var record = result.Records[0];
        return new SalesforceEmailMessageRecord(record.GetProperty("Id").GetString()!, record.TryGetProperty("ParentId", out var parent) ? parent.GetString() : null);
    }

    public Task<string> AttachFileAsync(string recordId, SalesforceFile file, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recordId);
        ArgumentNullException.ThrowIfNull(file);
        return CreateRecordAsync("ContentVersion", new Dictionary<string, object?>
        {
            ["Title"] = file.Title ?? Path.GetFileNameWithoutExtension(file.PathOnClient),
            ["PathOnClient"] = file.PathOnClient,
            ["VersionData"] = Convert.ToBase64String(file.Content.Span),
            ["FirstPublishLocationId"] = recordId,
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<SalesforceFileRecord>> ListFilesAsync(string recordId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recordId);
        var result = await QueryAsync($"SELECT Id, PathOnClient FROM ContentVersion WHERE FirstPublishLocationId = {Soql.Quote(recordId)} AND IsLatest = true", cancellationToken).ConfigureAwait(false);
        return [.. result.Records.Select(r => new SalesforceFileRecord(r.GetProperty("Id").GetString()!, r.TryGetProperty("PathOnClient", out var p) ? p.GetString() : null))];
    }

    private async Task<string> ApiVersionAsync(CancellationToken cancellationToken) => (await ProviderAsync(cancellationToken).ConfigureAwait(false)).ApiVersion;

    private async Task<SalesforceProvider> ProviderAsync(CancellationToken cancellationToken) =>
        (await sessions.GetAsync(ProviderName, cancellationToken).ConfigureAwait(false)).Provider;

    private async Task<JsonDocument?> SendAsync(string operation, HttpMethod method, string relativeUri, object? body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (session, provider) = await sessions.GetAsync(ProviderName, cancellationToken).ConfigureAwait(false);
            using var client = httpClientFactory.CreateClient(SalesforceDefaults.HttpClientName);
            using var request = new HttpRequestMessage(method, new Uri(session.InstanceUrl, $"services/data/v{provider.ApiVersion}/{relativeUri}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken.Token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw SalesforceErrors.FromTransport(provider, operation, ex, timedOut: ex is TaskCanceledException);
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    return response.StatusCode == HttpStatusCode.NoContent
                        ? null
                        : await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                var errors = await ReadErrorsAsync(response, cancellationToken).ConfigureAwait(false);
                var error = errors.FirstOrDefault();
                if (response.StatusCode == HttpStatusCode.Unauthorized && error?.ErrorCode == "INVALID_SESSION_ID" && attempt == 1)
                {
                    // The org's session timed out early (or was revoked): sign in again, once.
                    LogSessionRefused(provider.Name, error.Message);
                    await sessions.InvalidateAsync(session, CancellationToken.None).ConfigureAwait(false);
                    continue;
                }

                throw SalesforceErrors.FromRest(provider, operation, response.StatusCode, error?.ErrorCode, error?.Message, error?.Fields, SalesforceErrors.RetryAfter(response.Headers, timeProvider));
            }
        }
    }

    private static async Task<IReadOnlyList<RestError>> ReadErrorsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            return ReadErrors(document.RootElement);
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static List<RestError> ReadErrors(JsonElement body)
    {
        var errors = new List<RestError>();
        if (body.ValueKind != JsonValueKind.Array)
        {
            return errors;
        }

        foreach (var item in body.EnumerateArray())
        {
            var fields = item.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array
                ? f.EnumerateArray().Select(x => x.GetString()).OfType<string>().ToList()
                : [];
            errors.Add(new RestError(
                item.TryGetProperty("errorCode", out var code) ? code.GetString() : null,
                item.TryGetProperty("message", out var message) ? message.GetString() : null,
                fields));
        }

        return errors;
    }

    [LoggerMessage(1201, LogLevel.Information, "Salesforce refused the session of provider '{CloudProvider}' (INVALID_SESSION_ID: {Message}); signing in again once")]
    private partial void LogSessionRefused(string cloudProvider, string? message);

    private sealed record RestError(string? ErrorCode, string? Message, IReadOnlyList<string> Fields);
}
