using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace XCally.ModernAuth.Tests.Tokens.Infrastructure;

/// <summary>
/// An in-process Microsoft Entra token endpoint behind an <see cref="HttpMessageHandler"/>: it parses the form body of
/// <c>POST /{tenant}/oauth2/v2.0/token</c>, checks grant type, client id, secret or assertion and scope, and answers with
/// Entra-shaped JSON (tokens or error bodies). It counts requests, can hold them at a gate, delay them, or answer with
/// scripted failures (429 with Retry-After, 503, AADSTS errors). Instance discovery and OpenID metadata are answered too.
/// </summary>
internal sealed class TestTokenEndpoint : HttpMessageHandler
{
    public const string ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private readonly ConcurrentQueue<Func<TokenRequest, HttpResponseMessage>> _scripted = new();
    private TaskCompletionSource _gate = OpenGateSource();
    private int _tokenRequestCount;
    private int _waitingAtGate;
    private volatile string? _lastIssuedToken;

    public string? ExpectedClientId { get; set; }

    /// <summary>The secret the endpoint accepts; requests with another answer AADSTS7000215.</summary>
    public string? ExpectedClientSecret { get; set; }

    /// <summary>Checks a <c>client_assertion</c>; a request whose assertion fails it answers AADSTS700027.</summary>
    public Func<TokenRequest, bool>? ValidateAssertion { get; set; }

    /// <summary>The scope the endpoint accepts; another answers AADSTS70011.</summary>
    public string? ExpectedScope { get; set; }

    public int ExpiresInSeconds { get; set; } = 3599;

    public int? RefreshInSeconds { get; set; }

    /// <summary>A real delay before each token response (observes the request's cancellation).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Every token request received, in order.</summary>
    public ConcurrentQueue<TokenRequest> TokenRequests { get; } = new();

    /// <summary>Every other request (instance discovery, metadata).</summary>
    public ConcurrentQueue<Uri> OtherRequests { get; } = new();

    public int TokenRequestCount => Volatile.Read(ref _tokenRequestCount);

    public int WaitingAtGate => Volatile.Read(ref _waitingAtGate);

    public string? LastIssuedToken => _lastIssuedToken;

    /// <summary>Holds token requests until <see cref="OpenGate"/>.</summary>
    public void CloseGate() => Interlocked.Exchange(ref _gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void OpenGate() => Volatile.Read(ref _gate).TrySetResult();

    /// <summary>Answers the next token request with <paramref name="respond"/> instead of a token (after the gate and delay).</summary>
    public void Enqueue(Func<TokenRequest, HttpResponseMessage> respond) => _scripted.Enqueue(respond);

    public void EnqueueError(HttpStatusCode status, string error, int aadsts, string description, TimeSpan? retryAfter = null) =>
        Enqueue(_ => Error(status, error, aadsts, description, retryAfter));

    /// <summary>An Entra error response: <c>{"error":..,"error_description":"AADSTSnnn: ..","error_codes":[nnn],"timestamp":..,"trace_id":..,"correlation_id":..}</c>.</summary>
    public static HttpResponseMessage Error(HttpStatusCode status, string error, int aadsts, string description, TimeSpan? retryAfter = null)
    {
        var traceId = Guid.NewGuid().ToString();
        var correlationId = Guid.NewGuid().ToString();
        var timestamp = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{aadsts}: {description} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {timestamp}",
            ["error_codes"] = new[] { aadsts },
            ["timestamp"] = timestamp,
            ["trace_id"] = traceId,
            ["correlation_id"] = correlationId,
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={aadsts}",
        });
        var response = Json(status, body);
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(wait);
        }

        return response;
    }

    /// <summary>A random token shaped like a JWT (three base64url segments), unique per call.</summary>
    public static string NewJwtLikeToken()
    {
        var header = Base64Url("""{"typ":"JWT","alg":"RS256","kid":"test"}"""u8.ToArray());
        var payload = Base64Url(Encoding.UTF8.GetBytes(
            $$"""{"aud":"https://outlook.office365.com","roles":["IMAP.AccessAsApp"],"jti":"{{Guid.NewGuid()}}"}"""));
        return $"{header}.{payload}.{Base64Url(RandomNumberGenerator.GetBytes(64))}";
    }

    public static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    // The factory and MSAL dispose HttpClients and handler chains; the endpoint outlives them.
    protected override void Dispose(bool disposing)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        if (request.Method == HttpMethod.Get)
        {
            OtherRequests.Enqueue(uri);
            return AnswerMetadata(uri);
        }

        if (request.Method != HttpMethod.Post || !uri.AbsolutePath.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
        {
            OtherRequests.Enqueue(uri);
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }

        var form = ParseForm(await request.Content!.ReadAsStringAsync(cancellationToken));
        var tokenRequest = new TokenRequest(uri, form);
        TokenRequests.Enqueue(tokenRequest);
        Interlocked.Increment(ref _tokenRequestCount);

        Interlocked.Increment(ref _waitingAtGate);
        try
        {
            await Volatile.Read(ref _gate).Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waitingAtGate);
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        return _scripted.TryDequeue(out var scripted) ? scripted(tokenRequest) : Answer(tokenRequest);
    }

    private HttpResponseMessage Answer(TokenRequest request)
    {
        if (request.Get("grant_type") != "client_credentials")
        {
            return Error(HttpStatusCode.BadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
        }

        if (ExpectedClientId is { } clientId && request.Get("client_id") != clientId)
        {
            return Error(HttpStatusCode.BadRequest, "unauthorized_client", 700016,
                $"Application with identifier '{request.Get("client_id")}' was not found in the directory 'Contoso'.");
        }

        if (request.Get("client_assertion") is { } assertion)
        {
            if (request.Get("client_assertion_type") != ClientAssertionType || ValidateAssertion is null || !ValidateAssertion(request))
            {
                return Error(HttpStatusCode.Unauthorized, "invalid_client", 700027, "The certificate with identifier used to sign the client assertion is not registered on application.");
            }
        }
        else if (ExpectedClientSecret is not { } secret || request.Get("client_secret") != secret)
        {
            return Error(HttpStatusCode.Unauthorized, "invalid_client", 7000215,
                $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{request.Get("client_id")}'.");
        }

        if (ExpectedScope is { } scope && request.Get("scope") != scope)
        {
            return Error(HttpStatusCode.BadRequest, "invalid_scope", 70011,
                $"The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope {request.Get("scope")} is not valid.");
        }

        var token = NewJwtLikeToken();
        _lastIssuedToken = token;
        var body = new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = ExpiresInSeconds,
            ["ext_expires_in"] = ExpiresInSeconds,
            ["access_token"] = token,
        };
        if (RefreshInSeconds is { } refreshIn)
        {
            body["refresh_in"] = refreshIn;
        }

        return Json(HttpStatusCode.OK, JsonSerializer.Serialize(body));
    }

    private static HttpResponseMessage AnswerMetadata(Uri uri)
    {
        var host = uri.GetLeftPart(UriPartial.Authority);
        if (uri.AbsolutePath.EndsWith("/discovery/instance", StringComparison.Ordinal))
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["tenant_discovery_endpoint"] = $"{host}/common/v2.0/.well-known/openid-configuration",
                ["api-version"] = "1.1",
                ["metadata"] = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["preferred_network"] = uri.Authority,
                        ["preferred_cache"] = uri.Authority,
                        ["aliases"] = new[] { uri.Authority },
                    },
                },
            });
            return Json(HttpStatusCode.OK, body);
        }

        if (uri.AbsolutePath.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal))
        {
            var tenant = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
            var body = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["issuer"] = $"{host}/{tenant}/v2.0",
                ["token_endpoint"] = $"{host}/{tenant}/oauth2/v2.0/token",
                ["authorization_endpoint"] = $"{host}/{tenant}/oauth2/v2.0/authorize",
                ["jwks_uri"] = $"{host}/{tenant}/discovery/v2.0/keys",
            });
            return Json(HttpStatusCode.OK, body);
        }

        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static Dictionary<string, string> ParseForm(string body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            var key = separator < 0 ? pair : pair[..separator];
            var value = separator < 0 ? string.Empty : pair[(separator + 1)..];
            form[WebUtility.UrlDecode(key)] = WebUtility.UrlDecode(value);
        }

        return form;
    }

    private static TaskCompletionSource OpenGateSource()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}

/// <summary>A token request as the endpoint received it.</summary>
internal sealed record TokenRequest(Uri Uri, IReadOnlyDictionary<string, string> Form)
{
    public string? Get(string name) => Form.TryGetValue(name, out var value) ? value : null;
}
