namespace XCally.ModernAuth.Salesforce;

/// <summary>A Case to create, as an email channel fills it.</summary>
public sealed class SalesforceCase
{
    /// <summary>The Case's <c>Subject</c>.</summary>
    public string? Subject { get; init; }

    /// <summary>The Case's <c>Description</c>, usually the email's text.</summary>
    public string? Description { get; init; }

    /// <summary><c>SuppliedEmail</c>: the sender's address.</summary>
    public string? SuppliedEmail { get; init; }

    /// <summary><c>SuppliedName</c>: the sender's name.</summary>
    public string? SuppliedName { get; init; }

    /// <summary><c>ContactId</c>: the Contact the sender is, when found.</summary>
    public string? ContactId { get; init; }

    /// <summary><c>Origin</c>. Default <c>Email</c>.</summary>
    public string? Origin { get; init; } = "Email";

    /// <summary><c>Status</c>; the org's default when <see langword="null"/>.</summary>
    public string? Status { get; init; }

    /// <summary><c>Priority</c>; the org's default when <see langword="null"/>.</summary>
    public string? Priority { get; init; }

    /// <summary>Further fields by API name (custom fields such as <c>Channel__c</c>).</summary>
    public IDictionary<string, object?> AdditionalFields { get; init; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    internal Dictionary<string, object?> ToFields() => SalesforceFields.Of(AdditionalFields,
        ("Subject", Subject), ("Description", Description), ("SuppliedEmail", SuppliedEmail), ("SuppliedName", SuppliedName),
        ("ContactId", ContactId), ("Origin", Origin), ("Status", Status), ("Priority", Priority));
}
