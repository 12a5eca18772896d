using System.Text.Json;

namespace XCally.ModernAuth.Salesforce;

/// <summary>The ids of a Case and its EmailMessage created together.</summary>
/// <param name="CaseId">The Case's id.</param>
/// <param name="EmailMessageId">The EmailMessage's id.</param>
public sealed record SalesforceCaseWithEmail(string CaseId, string EmailMessageId);

/// <summary>An EmailMessage found by its <c>MessageIdentifier</c>.</summary>
/// <param name="Id">The EmailMessage's id.</param>
/// <param name="ParentId">Its Case, if any.</param>
public sealed record SalesforceEmailMessageRecord(string Id, string? ParentId);

/// <summary>A file (the latest ContentVersion) attached to a record.</summary>
/// <param name="Id">The ContentVersion's id.</param>
/// <param name="PathOnClient">The file name.</param>
public sealed record SalesforceFileRecord(string Id, string? PathOnClient);

/// <summary>The answer to a SOQL query: its records as JSON, each with its <c>attributes</c>.</summary>
/// <param name="TotalSize">How many records match.</param>
/// <param name="Records">The records of this page.</param>
/// <param name="NextRecordsUrl">Where the next page is, when <see cref="Records"/> is not all of them.</param>
public sealed record SalesforceQueryResult(int TotalSize, IReadOnlyList<JsonElement> Records, string? NextRecordsUrl);
