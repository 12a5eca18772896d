using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>
/// Signs one Salesforce provider in at its token endpoint (client credentials, JWT bearer or username-password) behind the core's
/// <see cref="TokenSlot"/>. Salesforce gives no <c>expires_in</c>: the session is taken to last the provider's session timeout from
/// <c>issued_at</c>. The last session's <c>instance_url</c> is kept for the REST calls made with it.
/// </summary>
internal sealed class SalesforceTokenAcquirer(
    SalesforceProvider provider,
    IHttpClientFactory httpClientFactory,
    TimeProvider timeProvider,
    TokenMetrics metrics) : ITokenAcquirer
{
    private static readonly string[] NoScopes = [];
    private volatile IssuedSession? _last;

    public string ProviderName => provider.Name;

    /// <summary>
    /// The <c>instance_url</c> of the latest session. An org's instance URL is its My Domain and does not change between sessions,
    /// so an older session still held by a caller is sent there too.
    /// </summary>
    public Uri? InstanceUrl => _last?.InstanceUrl;

    public async Task<AccessToken> AcquireAsync(AccessToken? replacing, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            var token = await RequestAsync(cancellationToken).ConfigureAwait(false);
            metrics.Request(provider.Name, ModernAuthTelemetry.SuccessOutcome, timeProvider.GetElapsedTime(started));
            return token;
        }
        catch (ModernAuthException error)
        {
            metrics.Request(provider.Name, CategoryNames.Of(error.Category), timeProvider.GetElapsedTime(started));
            throw;
        }
    }

    private async Task<AccessToken> RequestAsync(CancellationToken cancellationToken)
    {
        using var client = httpClientFactory.CreateClient(SalesforceDefaults.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, provider.TokenEndpoint) { Content = new FormUrlEncodedContent(Form()) };
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw SalesforceErrors.FromTransport(provider, "The token request", ex, timedOut: ex is TaskCanceledException);
        }

        using (response)
        {
            var body = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || body?.AccessToken is not { Length: > 0 } accessToken)
            {
                throw SalesforceErrors.FromTokenEndpoint(provider, response.StatusCode, body?.Error, body?.ErrorDescription, SalesforceErrors.RetryAfter(response.Headers, timeProvider));
            }

            var instanceUrl = CheckInstanceUrl(body.InstanceUrl);
            var now = timeProvider.GetUtcNow();
            var issuedAt = IssuedAt(body.IssuedAt) is { } issued && issued <= now ? issued : now;
            _last = new IssuedSession(instanceUrl);
            return new AccessToken(accessToken, issuedAt + provider.SessionTimeout, NoScopes, TokenSource.IdentityProvider);
        }
    }

    private List<KeyValuePair<string, string>> Form() => provider.Flow switch
    {
        SalesforceFlow.JwtBearer =>
        [
            new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            new("assertion", SalesforceJwtAssertion.Create(provider, timeProvider.GetUtcNow())),
        ],
        SalesforceFlow.UsernamePassword =>
        [
            new("grant_type", "password"),
            new("client_id", provider.ConsumerKey),
            new("client_secret", provider.ConsumerSecret!),
            new("username", provider.Username!),
            new("password", provider.Password!),
        ],
        _ =>
        [
            new("grant_type", "client_credentials"),
            new("client_id", provider.ConsumerKey),
            new("client_secret", provider.ConsumerSecret!),
        ],
    };

    private Uri CheckInstanceUrl(string? instanceUrl)
    {
        if (!Uri.TryCreate(instanceUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || (!provider.AllowNonSalesforceHost && !SalesforceHosts.IsInstanceHost(uri.Host)))
        {
            // The session must not reach a host that is not the org's: it would be a bearer token for the whole org.
            throw new ModernAuthException(
                ModernAuthErrorCategory.InvalidConfiguration,
                $"The sign-in of Salesforce provider '{provider.Name}' returned the instance_url '{instanceUrl}', which is not an https Salesforce host, so no request is sent to it.",
                "Check that LoginUrl is the org's own My Domain; set AllowNonSalesforceHost only for an emulator or tests.")
            {
                CloudProviderName = provider.Name,
            };
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    private static DateTimeOffset? IssuedAt(string? text)
    {
        // Salesforce documents seconds and sends milliseconds since the epoch; accept both.
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        return value > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(value) : DateTimeOffset.FromUnixTimeSeconds(value);
    }

    private static async Task<TokenResponse?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            // Not JSON at all (an HTML error page of a proxy): the status code speaks.
            return null;
        }
    }

    private sealed record IssuedSession(Uri InstanceUrl);

    private sealed class TokenResponse
    {
        [JsonPropertyName("access_token")]
        public string? AccessToken { get; set; }

        [JsonPropertyName("instance_url")]
        public string? InstanceUrl { get; set; }

        [JsonPropertyName("issued_at")]
        public string? IssuedAt { get; set; }

        [JsonPropertyName("error")]
        public string? Error { get; set; }

        [JsonPropertyName("error_description")]
        public string? ErrorDescription { get; set; }
    }
}
