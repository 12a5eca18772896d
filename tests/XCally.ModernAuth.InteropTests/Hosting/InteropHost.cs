using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using XCally.ModernAuth.InteropTests.Clients;
using XCally.ModernAuth.InteropTests.Tokens;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.InteropTests.Hosting;

/// <summary>
/// An SDK host wired through the public API only (<c>AddXCallyModernAuth</c>, <c>AddCloudProvider</c>, <c>AddEmailAccount</c>,
/// <c>ConfigureMailConnector</c>) whose email accounts are mailboxes of the real stack, on a delegated cloud provider pointing at
/// the identity emulator. Made per test by <see cref="MailStackFixture"/>. Its token provider is the SDK's own (MSAL, memory token
/// cache), fed by <see cref="SignInAsync"/>, unless the host was made with <see cref="EmulatorDelegatedTokenProvider"/> to hand
/// out deliberately bad tokens (<see cref="TestTokens"/>).
/// </summary>
public sealed class InteropHost : IAsyncDisposable
{
    private const string AuthorizationCodeGrant = "authorization_code";
    private const string RefreshTokenGrant = "refresh_token";

    private readonly ServiceProvider _services;
    private readonly ModernAuthEmulator _emulator;
    private readonly EmulatorDelegatedTokenProvider? _testTokens;
    private readonly int _authorizationCodeRequestsBefore;
    private readonly int _refreshTokenRequestsBefore;

    internal InteropHost(ServiceProvider services, ModernAuthEmulator emulator, DirectMailKitClients mailKit)
    {
        _services = services;
        _emulator = emulator;
        Connector = services.GetRequiredService<IMailClientConnector>();
        TokenProvider = services.GetRequiredService<ITokenProvider>();
        Authorization = services.GetRequiredService<IModernAuthAuthorization>();
        Accounts = services.GetRequiredService<IEmailAccountStore>();
        CloudProviders = services.GetRequiredService<ICloudProviderStore>();
        _testTokens = TokenProvider as EmulatorDelegatedTokenProvider;
        Clients = new SdkMailClients(Connector, TokenProvider, Accounts, mailKit);
        _authorizationCodeRequestsBefore = emulator.Identity.Counters.TokenRequestsForGrantType(AuthorizationCodeGrant);
        _refreshTokenRequestsBefore = emulator.Identity.Counters.TokenRequestsForGrantType(RefreshTokenGrant);
    }

    /// <summary>The SDK's connector.</summary>
    public IMailClientConnector Connector { get; }

    /// <summary>The token provider the SDK resolves: its own, or the test double of a host made for bad tokens.</summary>
    public ITokenProvider TokenProvider { get; }

    /// <summary>The SDK's delegated sign-in.</summary>
    public IModernAuthAuthorization Authorization { get; }

    /// <summary>The test double of a host made to hand out deliberately bad tokens, for its counts and its queue of bad tokens.</summary>
    /// <exception cref="InvalidOperationException">The host uses the SDK's own token provider.</exception>
    public EmulatorDelegatedTokenProvider TestTokens =>
        _testTokens ?? throw new InvalidOperationException("This host gets its tokens from the SDK's own token provider, not from the test double.");

    /// <summary>The SDK's account store.</summary>
    public IEmailAccountStore Accounts { get; }

    /// <summary>The SDK's cloud provider store.</summary>
    public ICloudProviderStore CloudProviders { get; }

    /// <summary>Connected, authenticated clients made through the SDK.</summary>
    public IInteropMailClients Clients { get; }

    /// <summary>
    /// Authorization codes the emulator redeemed since the host was made (one per <see cref="SignInAsync"/>). The count is the
    /// emulator's, which the tests of the collection share: they run one at a time, so the difference is this host's.
    /// </summary>
    public int AuthorizationCodeRedemptions =>
        _emulator.Identity.Counters.TokenRequestsForGrantType(AuthorizationCodeGrant) - _authorizationCodeRequestsBefore;

    /// <summary>Refresh token grants the emulator answered since the host was made: the SDK asking for a token it had not got from the sign-in.</summary>
    public int RefreshTokenRedemptions =>
        _emulator.Identity.Counters.TokenRequestsForGrantType(RefreshTokenGrant) - _refreshTokenRequestsBefore;

    /// <summary>The configured account with that address.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The account.</returns>
    public async Task<EmailAccount> AccountAsync(string address) =>
        await Accounts.FindAsync(address, TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException($"The host has no email account {address}.");

    /// <summary>
    /// Signs the mailbox's user in once, the way a web host does: <see cref="IModernAuthAuthorization.BeginAsync"/> gives the
    /// authorize URL, the emulator plays the browser (<see cref="ModernAuthEmulator.SignInAsync"/>) and redirects with a code and
    /// state, and <see cref="IModernAuthAuthorization.CompleteAsync"/> redeems the code into the SDK's token cache.
    /// </summary>
    /// <param name="address">The account's address.</param>
    /// <returns>What the SDK reports about the sign-in.</returns>
    public async Task<DelegatedAuthorizationResult> SignInAsync(string address)
    {
        var ct = TestContext.Current.CancellationToken;
        var authorizeUrl = await Authorization.BeginAsync(await AccountAsync(address), cancellationToken: ct);
        var callback = await _emulator.SignInAsync(authorizeUrl, ct);
        var query = QueryHelpers.ParseQuery(callback.Query);
        return await Authorization.CompleteAsync(query["code"].ToString(), query["state"].ToString(), ct);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
