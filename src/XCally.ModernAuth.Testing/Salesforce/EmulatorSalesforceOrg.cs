using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using XCally.ModernAuth.Testing.Salesforce.Internal;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// The emulated Salesforce org: one connected app (Consumer Key and Secret, a Run As user for client credentials, a certificate for
/// the JWT bearer flow, pre-authorized users), its users, its sessions and its records in memory. Thread-safe; changes take effect
/// at once, so a test can break the set-up the way an administrator would.
/// </summary>
public sealed class EmulatorSalesforceOrg
{
    /// <summary>The objects the REST subset knows, and the fields each may be written with.</summary>
    internal static readonly Dictionary<string, HashSet<string>> WritableFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Case"] = Fields("Subject", "Description", "SuppliedEmail", "SuppliedName", "SuppliedPhone", "ContactId", "AccountId", "Origin", "Status", "Priority", "Type", "Reason"),
        ["EmailMessage"] = Fields("ParentId", "RelatedToId", "Subject", "TextBody", "HtmlBody", "FromAddress", "FromName", "ToAddress", "CcAddress", "BccAddress", "MessageDate", "MessageIdentifier", "ThreadIdentifier", "Incoming", "Status", "Headers"),
        ["ContentVersion"] = Fields("Title", "PathOnClient", "VersionData", "FirstPublishLocationId", "Description"),
        ["Contact"] = Fields("FirstName", "LastName", "Email", "AccountId", "Phone"),
        ["Account"] = Fields("Name", "Phone", "Website"),
    };

    private readonly object _gate = new();
    private readonly Dictionary<string, List<JsonObject>> _records = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly List<EmulatorSalesforceUser> _users = [];
    private readonly Queue<RestFault> _restFaults = new();
    private readonly Queue<TokenFault> _tokenFaults = new();

    internal EmulatorSalesforceOrg(SalesforceEmulatorOptions options, X509Certificate2 jwtCertificate)
    {
        TimeProvider = options.TimeProvider;
        SessionTimeout = options.SessionTimeout;
        AllowUsernamePasswordFlows = options.AllowUsernamePasswordFlows;
        OrganizationId = Ids.Next("Organization");
        ConsumerKey = "3MVG9" + Secret(60);
        ConsumerSecret = Secret(48);
        IntegrationUser = AddUser("integration@contoso.example");
        ClientCredentialsRunAs = IntegrationUser;
        UploadedCertificate = PublicPart(jwtCertificate);
        PreAuthorizedUsers.Add(IntegrationUser.Username);
    }

    /// <summary>The org's id (<c>00D...</c>).</summary>
    public string OrganizationId { get; }

    /// <summary>The connected app's Consumer Key.</summary>
    public string ConsumerKey { get; }

    /// <summary>The connected app's Consumer Secret.</summary>
    public string ConsumerSecret { get; }

    /// <summary>The integration user created at start: the Run As user, pre-authorized for the JWT bearer flow.</summary>
    public EmulatorSalesforceUser IntegrationUser { get; }

    /// <summary>The client credentials flow's Run As user; <see langword="null"/> answers <c>no client credentials user enabled</c>.</summary>
    public EmulatorSalesforceUser? ClientCredentialsRunAs { get; set; }

    /// <summary>The certificate uploaded to the app for the JWT bearer flow (public part); <see langword="null"/> refuses every assertion.</summary>
    public X509Certificate2? UploadedCertificate { get; set; }

    /// <summary>Usernames pre-authorized for the app (<em>Admin approved users are pre-authorized</em>); others get <c>user hasn't approved this consumer</c>.</summary>
    public ICollection<string> PreAuthorizedUsers { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the org allows the username-password flow; when not, it answers <c>authentication failure</c>, as Salesforce does.</summary>
    public bool AllowUsernamePasswordFlows { get; set; }

    /// <summary>The session timeout: a session older than this answers <c>INVALID_SESSION_ID</c>.</summary>
    public TimeSpan SessionTimeout { get; set; }

    /// <summary>The org's clock.</summary>
    public TimeProvider TimeProvider { get; }

    internal SalesforceIds Ids { get; } = new();

    /// <summary>Adds a user with a password and security token of its own.</summary>
    /// <param name="username">The username.</param>
    /// <returns>The user.</returns>
    public EmulatorSalesforceUser AddUser(string username)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        var user = new EmulatorSalesforceUser(Ids.Next("User"), username, "Pw-" + Secret(16), Secret(24));
        lock (_gate)
        {
            _users.Add(user);
        }

        return user;
    }

    /// <summary>Ends every session, as a session timeout or an administrator's revocation does: the next REST call answers <c>INVALID_SESSION_ID</c>.</summary>
    /// <returns>How many sessions ended.</returns>
    public int ExpireSessions()
    {
        lock (_gate)
        {
            var count = _sessions.Count;
            _sessions.Clear();
            return count;
        }
    }

    /// <summary>Adds a record directly, e.g. a Contact the channel should find.</summary>
    /// <param name="type">The object, e.g. <c>Contact</c>.</param>
    /// <param name="fields">Its fields.</param>
    /// <returns>The record's id.</returns>
    public string AddRecord(string type, JsonObject fields)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(fields);
        lock (_gate)
        {
            return Insert(type, (JsonObject)fields.DeepClone());
        }
    }

    /// <summary>The records of an object, as copies.</summary>
    /// <param name="type">The object, e.g. <c>Case</c>.</param>
    /// <returns>The records, oldest first.</returns>
    public IReadOnlyList<JsonObject> Records(string type)
    {
        lock (_gate)
        {
            return _records.TryGetValue(type, out var list) ? [.. list.Select(r => (JsonObject)r.DeepClone())] : [];
        }
    }

    /// <summary>Makes the next <paramref name="times"/> REST requests fail with a Salesforce error body, e.g. a validation rule.</summary>
    /// <param name="status">The HTTP status, e.g. 400.</param>
    /// <param name="errorCode">The <c>errorCode</c>, e.g. <c>FIELD_CUSTOM_VALIDATION_EXCEPTION</c>.</param>
    /// <param name="message">The <c>message</c>.</param>
    /// <param name="times">How many requests.</param>
    /// <param name="fields">The <c>fields</c>.</param>
    public void FailNextRestRequests(int status, string errorCode, string message, int times = 1, params string[] fields)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _restFaults.Enqueue(new RestFault(status, errorCode, message, fields));
            }
        }
    }

    /// <summary>Makes the next <paramref name="times"/> token requests fail with a token endpoint error body.</summary>
    /// <param name="status">The HTTP status, e.g. 400 or 503.</param>
    /// <param name="error">The <c>error</c>.</param>
    /// <param name="description">The <c>error_description</c>.</param>
    /// <param name="times">How many requests.</param>
    /// <param name="retryAfter">A <c>Retry-After</c> header, if any.</param>
    public void FailNextTokenRequests(int status, string error, string description, int times = 1, TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _tokenFaults.Enqueue(new TokenFault(status, error, description, retryAfter));
            }
        }
    }

    internal EmulatorSalesforceUser? FindUser(string? username)
    {
        lock (_gate)
        {
            return _users.FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase));
        }
    }

    internal RestFault? TakeRestFault()
    {
        lock (_gate)
        {
            return _restFaults.TryDequeue(out var fault) ? fault : null;
        }
    }

    internal TokenFault? TakeTokenFault()
    {
        lock (_gate)
        {
            return _tokenFaults.TryDequeue(out var fault) ? fault : null;
        }
    }

    internal string StartSession(EmulatorSalesforceUser user)
    {
        var token = $"{OrganizationId[..15]}!AQ{Secret(96)}";
        lock (_gate)
        {
            _sessions[token] = new Session(user, TimeProvider.GetUtcNow());
        }

        return token;
    }

    internal bool IsSessionValid(string? token)
    {
        lock (_gate)
        {
            return token is not null && _sessions.TryGetValue(token, out var session) && TimeProvider.GetUtcNow() - session.Started < SessionTimeout;
        }
    }

    /// <summary>Runs <paramref name="action"/> on the records under the org's lock, so a composite request is all or none.</summary>
    internal T WithRecords<T>(Func<RecordsAccess, T> action)
    {
        lock (_gate)
        {
            return action(new RecordsAccess(this));
        }
    }

    private string Insert(string type, JsonObject record)
    {
        var id = Ids.Next(type);
        record["Id"] = id;
        record["CreatedDate"] = TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", System.Globalization.CultureInfo.InvariantCulture);
        if (string.Equals(type, "Case", StringComparison.OrdinalIgnoreCase))
        {
            record["CaseNumber"] = (Count("Case") + 1).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
            record["Status"] ??= "New";
        }
        else if (string.Equals(type, "ContentVersion", StringComparison.OrdinalIgnoreCase))
        {
            record["ContentDocumentId"] = Ids.Next("ContentDocument");
            record["IsLatest"] = true;
        }

        if (!_records.TryGetValue(type, out var list))
        {
            list = [];
            _records[type] = list;
        }

        list.Add(record);
        return id;
    }

    private static X509Certificate2 PublicPart(X509Certificate2 certificate) =>
#if NET9_0_OR_GREATER
        X509CertificateLoader.LoadCertificate(certificate.RawData);
#else
        new(certificate.RawData);
#endif

    private int Count(string type) => _records.TryGetValue(type, out var list) ? list.Count : 0;

    private static HashSet<string> Fields(params string[] names) => new(names, StringComparer.OrdinalIgnoreCase);

    private static string Secret(int length) =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(length)).Replace('+', 'x').Replace('/', 'y').TrimEnd('=')[..length];

    internal sealed record RestFault(int Status, string ErrorCode, string Message, string[] Fields);

    internal sealed record TokenFault(int Status, string Error, string Description, TimeSpan? RetryAfter);

    private sealed record Session(EmulatorSalesforceUser User, DateTimeOffset Started);

    /// <summary>The records, for code already holding the org's lock.</summary>
    internal sealed class RecordsAccess(EmulatorSalesforceOrg org)
    {
        public IEnumerable<JsonObject> All(string type) => org._records.TryGetValue(type, out var list) ? list : [];

        public bool Exists(string id) => org._records.Values.Any(list => list.Any(r => (string?)r["Id"] == id));

        public string Insert(string type, JsonObject record) => org.Insert(type, record);

        public void Remove(string type, string id)
        {
            if (org._records.TryGetValue(type, out var list))
            {
                list.RemoveAll(r => (string?)r["Id"] == id);
            }
        }
    }
}
