namespace XCally.ModernAuth.Salesforce;

/// <summary>A file to attach to a record as a ContentVersion (an email's attachment).</summary>
public sealed class SalesforceFile
{
    /// <summary>Creates a file.</summary>
    /// <param name="pathOnClient">The file name, with its extension (<c>PathOnClient</c>); it sets the file type.</param>
    /// <param name="content">The file's bytes.</param>
    public SalesforceFile(string pathOnClient, ReadOnlyMemory<byte> content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOnClient);
        PathOnClient = pathOnClient;
        Content = content;
    }

    /// <summary>The file name (<c>PathOnClient</c>).</summary>
    public string PathOnClient { get; }

    /// <summary>The title shown in Salesforce; the file name when unset.</summary>
    public string? Title { get; init; }

    /// <summary>The file's bytes.</summary>
    public ReadOnlyMemory<byte> Content { get; }
}
