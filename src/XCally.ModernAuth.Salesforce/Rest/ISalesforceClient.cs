namespace XCally.ModernAuth.Salesforce;

/// <summary>
/// A thin client of the Salesforce REST API for one provider: what an email channel needs. Every call takes the provider's
/// session from <see cref="ISalesforceSessionProvider"/>, goes to the session's <c>instance_url</c>, and is retried once with a
/// new session when Salesforce answers <c>INVALID_SESSION_ID</c>. Failures are <see cref="ModernAuthException"/>s carrying
/// Salesforce's <c>errorCode</c>, <c>message</c> and <c>fields</c>. Thread-safe.
/// </summary>
public interface ISalesforceClient
{
    /// <summary>The provider the client calls as.</summary>
    string ProviderName { get; }

    /// <summary>Creates a record (<c>POST /sobjects/{objectType}</c>).</summary>
    /// <param name="objectType">The object's API name, e.g. <c>Case</c>.</param>
    /// <param name="fields">The fields by API name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new record's id.</returns>
    Task<string> CreateRecordAsync(string objectType, IReadOnlyDictionary<string, object?> fields, CancellationToken cancellationToken = default);

    /// <summary>Runs a SOQL query (<c>GET /query</c>); quote values with <see cref="Soql.Quote"/>.</summary>
    /// <param name="soql">The query.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The first page of records.</returns>
    Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default);

    /// <summary>Finds a Contact by email address.</summary>
    /// <param name="email">The address.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The Contact's id, or <see langword="null"/> when none has that address.</returns>
    Task<string?> FindContactIdByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>Creates a Case.</summary>
    /// <param name="newCase">The Case.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The Case's id.</returns>
    Task<string> CreateCaseAsync(SalesforceCase newCase, CancellationToken cancellationToken = default);

    /// <summary>Creates an EmailMessage; set <see cref="SalesforceEmailMessage.ParentId"/> to its Case.</summary>
    /// <param name="email">The EmailMessage.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The EmailMessage's id.</returns>
    Task<string> CreateEmailMessageAsync(SalesforceEmailMessage email, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a Case and its EmailMessage in one all-or-none composite request, so that a failure or a stop between the two never
    /// leaves a Case without its email.
    /// </summary>
    /// <param name="newCase">The Case.</param>
    /// <param name="email">The EmailMessage; its <c>ParentId</c> is set to the new Case.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Both ids.</returns>
    Task<SalesforceCaseWithEmail> CreateCaseWithEmailMessageAsync(SalesforceCase newCase, SalesforceEmailMessage email, CancellationToken cancellationToken = default);

    /// <summary>Finds an EmailMessage by its <c>MessageIdentifier</c> (the email's <c>Message-ID</c>).</summary>
    /// <param name="messageIdentifier">The Message-ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The EmailMessage, or <see langword="null"/>.</returns>
    Task<SalesforceEmailMessageRecord?> FindEmailMessageAsync(string messageIdentifier, CancellationToken cancellationToken = default);

    /// <summary>Attaches a file to a record: a ContentVersion whose <c>FirstPublishLocationId</c> is the record, which links it there.</summary>
    /// <param name="recordId">The record, e.g. a Case.</param>
    /// <param name="file">The file.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ContentVersion's id.</returns>
    Task<string> AttachFileAsync(string recordId, SalesforceFile file, CancellationToken cancellationToken = default);

    /// <summary>Lists the files first published to a record (latest versions).</summary>
    /// <param name="recordId">The record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The files.</returns>
    Task<IReadOnlyList<SalesforceFileRecord>> ListFilesAsync(string recordId, CancellationToken cancellationToken = default);
}
