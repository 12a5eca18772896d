using Microsoft.AspNetCore.Mvc.ModelBinding;
using XCally.ModernAuth.Samples.Web.Features.Shared;

namespace XCally.ModernAuth.Samples.Web.Tests.Features;

/// <summary>
/// The forms show the SDK's own validation at each field. The SDK reports problems only as one message (no list), so the console
/// reads them back from it; these tests hold that reading to the SDK's real messages.
/// </summary>
public sealed class SdkValidationTests
{
    [Fact]
    public void AddTo_CloudProviderWithSeveralProblems_EachAtItsFieldWithTheFix()
    {
        var error = Assert.Throws<ModernAuthException>(() => CloudProvider.Create("contoso", new CloudProviderOptions
        {
            TenantId = "not a tenant",
            ClientId = "contoso-mail-app",
            Flow = AuthFlow.Delegated,
        }));
        var state = new ModelStateDictionary();

        var count = SdkValidation.AddTo(state, error, "CloudProviders:contoso", setting => setting switch
        {
            "TenantId" => "Form.TenantId",
            "ClientId" => "Form.ClientId",
            "RedirectUri" => "Form.RedirectUri",
            _ => null,
        }, "Form.ClientSecret");

        Assert.Equal(4, count);
        Assert.StartsWith("'not a tenant' is not a GUID or a domain; copy the Directory (tenant) ID", Single(state, "Form.TenantId"), StringComparison.Ordinal);
        Assert.StartsWith("'contoso-mail-app' is not a GUID; copy the Application (client) ID", Single(state, "Form.ClientId"), StringComparison.Ordinal);
        Assert.StartsWith("missing; the Delegated flow needs the redirect URI", Single(state, "Form.RedirectUri"), StringComparison.Ordinal);
        Assert.StartsWith("no credential; set ClientSecret", Single(state, "Form.ClientSecret"), StringComparison.Ordinal);
    }

    [Fact]
    public void AddTo_EmailAccountEndpointProblem_AtTheProtocolsField()
    {
        var provider = CloudProvider.Create("contoso", new CloudProviderOptions
        {
            TenantId = Guid.NewGuid().ToString(),
            ClientId = Guid.NewGuid().ToString(),
            ClientSecret = "a-secret-value",
        });
        var error = Assert.Throws<ModernAuthException>(() => EmailAccount.Create(
            new EmailAccountOptions { Address = "support@contoso.com", CloudProvider = "contoso", Imap = { Port = 70000 } }, provider));
        var state = new ModelStateDictionary();

        SdkValidation.AddTo(state, error, "EmailAccounts:support@contoso.com", setting => setting == "Imap" ? "Form.Imap.Host" : null, "Form.Address");

        Assert.Contains("70000", Single(state, "Form.Imap.Host"), StringComparison.Ordinal);
    }

    [Fact]
    public void AddTo_MessageWithoutPaths_WholeMessageAtTheFallbackField()
    {
        var state = new ModelStateDictionary();

        SdkValidation.AddTo(state, new ModernAuthException(ModernAuthErrorCategory.InvalidConfiguration, "Something else."), "CloudProviders:x", _ => null, "Form.Name");

        Assert.Equal("Something else.", Single(state, "Form.Name"));
    }

    private static string Single(ModelStateDictionary state, string field) =>
        Assert.Single(state[field]?.Errors ?? throw new InvalidOperationException($"No error at {field}: {string.Join(" | ", state.Select(e => e.Key))}")).ErrorMessage;
}
