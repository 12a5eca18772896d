using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace XCally.ModernAuth.Tests.Authorization;

/// <summary>
/// A sign-in callback that carries <c>error</c> instead of <c>code</c>: the started sign-in is used up, and the host gets the
/// identity platform's answer in words, with the ids Microsoft support asks for. No request leaves the process: the sign-in URL
/// is built locally and a refused callback is never redeemed.
/// </summary>
public sealed class AuthorizationCallbackErrorTests : IAsyncDisposable
{
    private const string Address = "agent@contoso.com";
    private const string TraceId = "4f8bf1a0-36c2-4a5e-9f0b-6c2b6d2a1e00";
    private const string CorrelationId = "c3a1d6a2-0b1e-4b8f-a6d7-5b6e0e9f1a11";

    private readonly FakeLogCollector _logs = new();
    private readonly ServiceProvider _services;

    public AuthorizationCallbackErrorTests()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(_logs)).SetMinimumLevel(LogLevel.Debug));
        services.AddXCallyModernAuth()
            .AddCloudProvider("contoso", provider =>
            {
                provider.TenantId = "00000000-0000-0000-0000-000000000001";
                provider.ClientId = "00000000-0000-0000-0000-000000000002";
                provider.ClientSecret = "not-a-real-secret-value";
                provider.Flow = AuthFlow.Delegated;
                provider.RedirectUri = "https://admin.contoso.com/signin-xcally";
            })
            .AddEmailAccount(Address, "contoso")
            .UseMemoryTokenCache();
        _services = services.BuildServiceProvider();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IModernAuthAuthorization Authorization => _services.GetRequiredService<IModernAuthAuthorization>();

    [Fact]
    public async Task CompleteAsync_UserCancelled_ConsentRequiredInWordsWithSupportIdsAndStateUsedUp()
    {
        var state = await BeginAsync();

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => Authorization.CompleteAsync(AuthorizationCallback.Parse(
            $"?error=access_denied&error_subcode=cancel&state={state}&error_description=AADSTS65004%3a+User+declined+to+consent+to+access+the+app.%0d%0aTrace+ID%3a+{TraceId}%0d%0aCorrelation+ID%3a+{CorrelationId}%0d%0aTimestamp%3a+2026-03-02+10%3a11%3a12Z"), Ct));

        Assert.Equal(ModernAuthErrorCategory.ConsentRequired, error.Category);
        Assert.Equal("AADSTS65004", error.ErrorCode);
        Assert.Equal(Address, error.AccountAddress);
        Assert.Equal("contoso", error.CloudProviderName);
        Assert.Equal(CorrelationId, error.CorrelationId);
        Assert.Contains("was cancelled at the sign-in page", error.Message, StringComparison.Ordinal);
        Assert.Contains("User declined to consent to access the app", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Trace ID {TraceId}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Timestamp", error.Message, StringComparison.Ordinal);
        Assert.Contains($"complete it as '{Address}'", error.Advice, StringComparison.Ordinal);

        // The same state cannot be completed afterwards, not even with a code.
        var replay = await Assert.ThrowsAsync<ModernAuthException>(() => Authorization.CompleteAsync("a-code", state, Ct));
        Assert.Equal(ModernAuthErrorCategory.InvalidAuthorizationState, replay.Category);
    }

    [Fact]
    public async Task CompleteAsync_ConsentMissing_AdviceNamesTheDelegatedPermissions()
    {
        var state = await BeginAsync();

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => Authorization.CompleteAsync(
            new AuthorizationCallback(
                null,
                state,
                "consent_required",
                "AADSTS65001: The user or administrator has not consented to use the application with ID '00000000-0000-0000-0000-000000000002'. Send an interactive authorization request for this user and resource."),
            Ct));

        Assert.Equal(ModernAuthErrorCategory.ConsentRequired, error.Category);
        Assert.Equal("AADSTS65001", error.ErrorCode);
        Assert.Contains("consent is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("has not consented", error.Message, StringComparison.Ordinal);
        Assert.Contains("IMAP.AccessAsUser.All", error.Advice, StringComparison.Ordinal);
        Assert.Contains("Grant admin consent", error.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_OtherIdentityError_TableMappingUsed()
    {
        var state = await BeginAsync();

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => Authorization.CompleteAsync(
            AuthorizationCallback.Parse($"error=invalid_request&error_description=AADSTS50011%3a+The+redirect+URI+does+not+match.&state={state}"), Ct));

        Assert.Equal(ModernAuthErrorCategory.InvalidClientConfiguration, error.Category);
        Assert.Equal("AADSTS50011", error.ErrorCode);
        Assert.Contains("refused by the identity platform", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_ErrorWithoutState_InvalidStateNamingTheError()
    {
        var error = await Assert.ThrowsAsync<ModernAuthException>(() => Authorization.CompleteAsync(
            AuthorizationCallback.Parse("error=access_denied&error_description=AADSTS65004%3a+User+declined."), Ct));

        Assert.Equal(ModernAuthErrorCategory.InvalidAuthorizationState, error.Category);
        Assert.Contains("carried no state", error.Message, StringComparison.Ordinal);
        Assert.Contains("access_denied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_ErrorWithForgedState_InvalidState()
    {
        var error = await Assert.ThrowsAsync<ModernAuthException>(() => Authorization.CompleteAsync(
            new AuthorizationCallback(null, "forged", "access_denied"), Ct));

        Assert.Equal(ModernAuthErrorCategory.InvalidAuthorizationState, error.Category);
    }

    [Fact]
    public async Task CompleteAsync_Refused_LoggedWithIdsButNeitherStateNorDescription()
    {
        var state = await BeginAsync();

        await Assert.ThrowsAsync<ModernAuthException>(() => Authorization.CompleteAsync(AuthorizationCallback.Parse(
            $"?error=access_denied&error_subcode=cancel&state={state}&error_description=AADSTS65004%3a+Declined+by+eyJhbGciOi.eyJzdWIi.c2ln&correlation_id={CorrelationId}&trace_id={TraceId}"), Ct));

        var line = Assert.Single(_logs.GetSnapshot(), record => record.Id.Id == 1207);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains(CorrelationId, line.Message, StringComparison.Ordinal);
        Assert.Contains(TraceId, line.Message, StringComparison.Ordinal);
        Assert.Contains("AADSTS65004", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(state, line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_DescriptionWithTokenLikeText_ScrubbedFromTheMessage()
    {
        var state = await BeginAsync();

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => Authorization.CompleteAsync(
            new AuthorizationCallback(null, state, "server_error", "AADSTS90000: boom eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"), Ct));

        Assert.DoesNotContain("eyJ", error.Message, StringComparison.Ordinal);
        Assert.Contains("[redacted]", error.Message, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private async Task<string> BeginAsync()
    {
        var account = await _services.GetRequiredService<IEmailAccountStore>().FindAsync(Address, Ct);
        var url = await Authorization.BeginAsync(account!, cancellationToken: Ct);
        var state = AuthorizationCallback.Parse(url.Query).State;
        Assert.NotNull(state);
        return state;
    }
}
