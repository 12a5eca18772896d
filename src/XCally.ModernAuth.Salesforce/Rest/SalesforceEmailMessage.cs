using System.Globalization;

namespace XCally.ModernAuth.Salesforce;

/// <summary>An EmailMessage to create: the email itself, attached to its Case by <see cref="ParentId"/>.</summary>
public sealed class SalesforceEmailMessage
{
    /// <summary><c>ParentId</c>: the Case. Set by <see cref="ISalesforceClient.CreateCaseWithEmailMessageAsync"/>.</summary>
    public string? ParentId { get; init; }

    /// <summary><c>Subject</c>.</summary>
    public string? Subject { get; init; }

    /// <summary><c>TextBody</c>.</summary>
    public string? TextBody { get; init; }

    /// <summary><c>HtmlBody</c>.</summary>
    public string? HtmlBody { get; init; }

    /// <summary><c>FromAddress</c>.</summary>
    public string? FromAddress { get; init; }

    /// <summary><c>FromName</c>.</summary>
    public string? FromName { get; init; }

    /// <summary><c>ToAddress</c>: addresses separated by semicolons.</summary>
    public string? ToAddress { get; init; }

    /// <summary><c>CcAddress</c>: addresses separated by semicolons.</summary>
    public string? CcAddress { get; init; }

    /// <summary><c>MessageDate</c>.</summary>
    public DateTimeOffset? MessageDate { get; init; }

    /// <summary><c>MessageIdentifier</c>: the <c>Message-ID</c> header, by which the channel finds a message it already handled.</summary>
    public string? MessageIdentifier { get; init; }

    /// <summary><c>Incoming</c>. Default <see langword="true"/>.</summary>
    public bool Incoming { get; init; } = true;

    /// <summary><c>Status</c>: <c>0</c> New (the default), <c>1</c> Read, <c>2</c> Replied, <c>3</c> Sent.</summary>
    public string Status { get; init; } = "0";

    internal Dictionary<string, object?> ToFields(string? parentId = null) => SalesforceFields.Of(null,
        ("ParentId", parentId ?? ParentId), ("Subject", Subject), ("TextBody", TextBody), ("HtmlBody", HtmlBody),
        ("FromAddress", FromAddress), ("FromName", FromName), ("ToAddress", ToAddress), ("CcAddress", CcAddress),
        ("MessageDate", MessageDate?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        ("MessageIdentifier", MessageIdentifier), ("Incoming", Incoming), ("Status", Status));
}
