using System.Net;

namespace XCally.ModernAuth.Graph.Internal;

/// <summary>
/// The Graph refusals the transport knows, most specific first; <c>docs/troubleshooting.md</c> has a row for each code (a test
/// holds the two together).
/// </summary>
internal static class GraphErrorTable
{
    public static readonly GraphErrorRow[] Rows =
    [
        new(HttpStatusCode.Forbidden, "ErrorAccessDenied", "[RAOP]", ModernAuthErrorCategory.MailboxAuthenticationFailed,
            "The mailbox is outside the application's scope (RBAC for Applications in Exchange Online, or an older ApplicationAccessPolicy).",
            "Add {mailbox} to the app's management scope: `New-ManagementScope -Name \"XCally mailboxes\" -RecipientRestrictionFilter \"PrimarySmtpAddress -eq '{mailbox}'\"` and "
                + "`New-ManagementRoleAssignment -App {appId} -Role \"Application Mail.Send\" -CustomResourceScope \"XCally mailboxes\"` (and \"Application Mail.ReadWrite\"); check with "
                + "`Test-ServicePrincipalAuthorization -Identity {appId} -Resource {mailbox}`. With an ApplicationAccessPolicy, add the mailbox to its group."),
        new(HttpStatusCode.Forbidden, "ErrorAccessDenied", "OData is disabled", ModernAuthErrorCategory.MailboxAuthenticationFailed,
            "Exchange refuses Graph access to the mailbox for this application (an application access policy or RBAC scope).",
            "Check the app's scope with `Test-ServicePrincipalAuthorization -Identity {appId} -Resource {mailbox}` and add {mailbox} with `New-ManagementScope`/`New-ManagementRoleAssignment -App {appId} -CustomResourceScope`."),
        new(HttpStatusCode.Forbidden, "ErrorAccessDenied", string.Empty, ModernAuthErrorCategory.ConsentRequired,
            "The token lacks the Graph mail permission (Mail.Send or Mail.ReadWrite), or admin consent was not granted.",
            "Under the app registration's API permissions add Microsoft Graph Mail.Send and Mail.ReadWrite (Application permissions for app-only, Delegated for a signed-in user; "
                + "Mail.Send.Shared and Mail.ReadWrite.Shared for shared mailboxes) and select 'Grant admin consent'; a delegated user must sign in again."),
        new(HttpStatusCode.Forbidden, "ErrorSendAsDenied", string.Empty, ModernAuthErrorCategory.MailboxAuthenticationFailed,
            "The signed-in user may not send as this mailbox.",
            "Give the user Send As on the shared mailbox (`Add-RecipientPermission -Identity {mailbox} -Trustee <user> -AccessRights SendAs`) and add Mail.Send.Shared to the provider's GraphScopes."),
        new(HttpStatusCode.NotFound, "MailboxNotEnabledForRESTAPI", string.Empty, ModernAuthErrorCategory.ProtocolDisabled,
            "The user has no Exchange Online mailbox for Graph: no licence with Exchange Online, a mailbox on-premises, inactive or soft-deleted.",
            "Assign {mailbox} a licence that includes Exchange Online (or move the mailbox to Exchange Online), wait for it to be provisioned, or use Transport Imap for an on-premises mailbox."),
        new(HttpStatusCode.NotFound, "ErrorInvalidUser", string.Empty, ModernAuthErrorCategory.InvalidConfiguration,
            "No user or mailbox has this address in the tenant.",
            "Check the account's Address ({mailbox}) and that the provider's TenantId is the mailbox's tenant."),
        new(HttpStatusCode.Unauthorized, "InvalidAuthenticationToken", "audience", ModernAuthErrorCategory.MailboxAuthenticationFailed,
            "Graph refused a token issued for another resource (an Exchange Online token).",
            "Tokens for Graph must be requested for https://graph.microsoft.com (the SDK does so for TokenResource.MicrosoftGraph); check the provider's Cloud matches the Graph host."),
        new(HttpStatusCode.Unauthorized, "InvalidAuthenticationToken", string.Empty, ModernAuthErrorCategory.MailboxAuthenticationFailed,
            "Graph refused the access token (expired, or signed for another tenant).",
            "The token was dropped and the next call gets a fresh one; if it persists, check the machine's clock and the provider's TenantId."),
        new(HttpStatusCode.NotFound, "ErrorItemNotFound", string.Empty, ModernAuthErrorCategory.RequestRejected,
            "The message or folder is no longer there (moved or deleted since it was read).",
            "Read the folder again with ReadNewAsync."),
        new(HttpStatusCode.NotFound, "ErrorInvalidIdMalformed", string.Empty, ModernAuthErrorCategory.RequestRejected,
            "The folder or message id is not one of this mailbox.",
            "Use a well-known folder name (Inbox, SentItems, DeletedItems, Drafts, JunkEmail, Archive) or the folder's display name."),
        new(HttpStatusCode.RequestEntityTooLarge, string.Empty, string.Empty, ModernAuthErrorCategory.RequestRejected,
            "The request is larger than Graph's 4 MB.",
            "Lower GraphMailOptions.LargeMessageThreshold so that large messages go through a draft and an upload session."),
        new((HttpStatusCode)429, string.Empty, string.Empty, ModernAuthErrorCategory.Throttled,
            "Exchange is throttling the application for this mailbox (4 concurrent requests, 10,000 per 10 minutes).",
            "Wait for RetryAfter; keep GraphMailOptions.MaxConcurrentRequestsPerMailbox at 4 or below and spread bulk work over time."),
        new(HttpStatusCode.ServiceUnavailable, string.Empty, string.Empty, ModernAuthErrorCategory.Transient,
            "Graph is temporarily unavailable.",
            "Retry after RetryAfter; the SDK already retried GraphMailOptions.MaxRetries times."),
        new(HttpStatusCode.GatewayTimeout, string.Empty, string.Empty, ModernAuthErrorCategory.Transient,
            "Graph's gateway timed out.",
            "Retry later."),
        new(HttpStatusCode.BadRequest, string.Empty, string.Empty, ModernAuthErrorCategory.RequestRejected,
            "Graph refused the request as malformed.",
            "Check the message (recipients, headers) against Graph's message; Graph's own words are in ServerResponse."),
    ];

    public static GraphErrorRow? Find(int status, string? code, string? message) =>
        Rows.FirstOrDefault(row => row.Matches(status, code, message))
        ?? (status >= 500 ? Rows.First(row => row.Status == HttpStatusCode.ServiceUnavailable) : null);
}
