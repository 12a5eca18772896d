namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>One row of <see cref="SalesforceErrorTable"/>: a Salesforce error and what to do about it.</summary>
/// <param name="Code">
/// The token endpoint's <c>error</c> (<c>invalid_grant</c>), the REST API's <c>errorCode</c> (<c>INVALID_SESSION_ID</c>), or a
/// transport condition (<c>HTTP 429</c>, <c>HTTP 5xx</c>, <c>timeout</c>, <c>network</c>).
/// </param>
/// <param name="Description">A fragment of the <c>error_description</c> that tells apart the causes of one code; <see langword="null"/> matches any.</param>
/// <param name="Category">The category a host acts on.</param>
/// <param name="Advice">The fix, naming the Salesforce set-up screen.</param>
internal sealed record SalesforceErrorMapping(string Code, string? Description, ModernAuthErrorCategory Category, string Advice);
