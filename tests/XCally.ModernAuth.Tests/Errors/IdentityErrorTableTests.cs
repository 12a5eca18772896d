using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Tests.Errors;

public sealed class IdentityErrorTableTests
{
    [Theory]
    [InlineData("AADSTS7000215", ModernAuthErrorCategory.InvalidClientSecret)]
    [InlineData("AADSTS7000222", ModernAuthErrorCategory.ClientSecretExpired)]
    [InlineData("AADSTS700016", ModernAuthErrorCategory.ApplicationNotFound)]
    [InlineData("AADSTS90002", ModernAuthErrorCategory.TenantNotFound)]
    [InlineData("AADSTS65001", ModernAuthErrorCategory.ConsentRequired)]
    [InlineData("AADSTS70011", ModernAuthErrorCategory.InvalidScope)]
    [InlineData("AADSTS7000218", ModernAuthErrorCategory.InvalidClientConfiguration)]
    [InlineData("AADSTS700025", ModernAuthErrorCategory.InvalidClientConfiguration)]
    [InlineData("AADSTS700027", ModernAuthErrorCategory.InvalidClientCertificate)]
    [InlineData("AADSTS700024", ModernAuthErrorCategory.InvalidClientCertificate)]
    [InlineData("AADSTS50173", ModernAuthErrorCategory.ReauthorizationRequired)]
    [InlineData("AADSTS70008", ModernAuthErrorCategory.ReauthorizationRequired)]
    [InlineData("AADSTS70043", ModernAuthErrorCategory.ReauthorizationRequired)]
    [InlineData("invalid_grant", ModernAuthErrorCategory.ReauthorizationRequired)]
    [InlineData(IdentityErrorTable.Http429, ModernAuthErrorCategory.Throttled)]
    [InlineData(IdentityErrorTable.Http5xx, ModernAuthErrorCategory.Transient)]
    [InlineData(IdentityErrorTable.Timeout, ModernAuthErrorCategory.Transient)]
    [InlineData(IdentityErrorTable.Network, ModernAuthErrorCategory.Transient)]
    public void Find_KnownCode_ReturnsItsCategory(string code, ModernAuthErrorCategory category)
    {
        var mapping = IdentityErrorTable.Find(code);

        Assert.NotNull(mapping);
        Assert.Equal(category, mapping.Category);
    }

    [Fact]
    public void Entries_CodesAreUniqueAndEveryRowHasAdvice()
    {
        Assert.Equal(IdentityErrorTable.Entries.Length, IdentityErrorTable.Entries.Select(entry => entry.Code.ToUpperInvariant()).Distinct().Count());
        Assert.All(IdentityErrorTable.Entries, entry => Assert.True(entry.Advice.Length > 20 && entry.Advice.EndsWith('.'), entry.Code));
    }

    [Fact]
    public void Find_UnknownCode_ReturnsNull()
    {
        Assert.Null(IdentityErrorTable.Find("AADSTS1"));
        Assert.Null(IdentityErrorTable.Find(null));
    }
}
