namespace XCally.ModernAuth.Internal;

/// <summary>One row of <see cref="IdentityErrorTable"/>: an identity-platform error and what to do about it.</summary>
/// <param name="Code">
/// An <c>AADSTS</c> code (<c>AADSTS7000215</c>), an OAuth 2.0 error (<c>invalid_grant</c>), or a transport condition
/// (<c>HTTP 429</c>, <c>HTTP 5xx</c>, <c>timeout</c>, <c>network</c>).
/// </param>
/// <param name="Category">The category a host acts on.</param>
/// <param name="Advice">The fix, in an administrator's words.</param>
internal sealed record IdentityErrorMapping(string Code, ModernAuthErrorCategory Category, string Advice);
