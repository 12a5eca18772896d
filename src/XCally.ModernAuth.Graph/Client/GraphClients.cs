using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace XCally.ModernAuth.Graph.Internal;

/// <summary>One Graph SDK client per account: the SDK's middleware (its retry handler honours <c>Retry-After</c>) over the named HttpClient's handler.</summary>
internal sealed class GraphClients(ITokenProvider tokens, ICloudProviderStore providers, IHttpMessageHandlerFactory handlers, IOptions<GraphMailOptions> options)
{
    /// <summary>The name of the HttpClient whose primary handler carries Graph requests (configure a proxy or a test certificate on it).</summary>
    public const string HttpClientName = "XCally.ModernAuth.Graph";

    public GraphMailOptions Options => options.Value;

    public async Task<GraphClient> CreateAsync(EmailAccount account, CancellationToken cancellationToken)
    {
        var provider = await providers.FindAsync(account.CloudProviderName, cancellationToken).ConfigureAwait(false)
            ?? throw new ModernAuthException(
                ModernAuthErrorCategory.InvalidConfiguration,
                $"Email account '{account.Address}' refers to cloud provider '{account.CloudProviderName}', which is not configured.",
                $"Add a cloud provider named '{account.CloudProviderName}' under CloudProviders.")
            {
                AccountAddress = account.Address,
            };
        var baseUrl = Options.BaseUrl ?? GraphHosts.BaseUrl(provider.Cloud);
        var tokenSource = new GraphAccessTokenProvider(tokens, account, baseUrl);
        var http = CreateHttpClient(Options.MaxRetries);
        var client = new GraphServiceClient(http, new BaseBearerTokenAuthenticationProvider(tokenSource), baseUrl.ToString().TrimEnd('/'));

        // Upload URLs carry their own authorization: a client without a token source sends them no bearer token.
        var uploads = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: CreateHttpClient(Options.MaxRetries));
        return new GraphClient(client, uploads, tokenSource, provider.ClientId);
    }

    private HttpClient CreateHttpClient(int maxRetries)
    {
        var middleware = GraphClientFactory.CreateDefaultHandlers();
        for (var i = 0; i < middleware.Count; i++)
        {
            if (middleware[i] is RetryHandler)
            {
                middleware[i] = new RetryHandler(new RetryHandlerOption { MaxRetry = maxRetries });
            }
        }

        return GraphClientFactory.Create(middleware, finalHandler: handlers.CreateHandler(HttpClientName), disposeHandler: false);
    }
}

/// <summary>An account's Graph SDK client, the adapter for upload URLs, and its token source.</summary>
internal sealed record GraphClient(GraphServiceClient Service, HttpClientRequestAdapter Uploads, GraphAccessTokenProvider Tokens, string ClientId);
