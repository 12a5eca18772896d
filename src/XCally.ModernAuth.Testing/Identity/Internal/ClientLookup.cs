using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>
/// Finds the application a request's <c>client_id</c> names, in the order and with the errors Entra ID uses: missing parameter,
/// unknown application (or one registered in another tenant), then a multi-tenant alias, which no emulated application accepts.
/// </summary>
internal static class ClientLookup
{
    /// <summary>Looks the client up in the tenant the path named.</summary>
    /// <param name="server">The server.</param>
    /// <param name="context">The request, for the tenant segment in the error.</param>
    /// <param name="tenant">The tenant from <see cref="HttpResponses.ResolveTenant"/>; <see langword="null"/> on an alias.</param>
    /// <param name="isAlias">Whether the path named <c>common</c>, <c>organizations</c> or <c>consumers</c>.</param>
    /// <param name="clientId">The <c>client_id</c> parameter.</param>
    /// <param name="application">The application, when found.</param>
    /// <param name="error">The error to answer with, otherwise.</param>
    /// <returns>Whether the application was found.</returns>
    public static bool TryFind(
        EmulatorIdentityServer server,
        HttpContext context,
        EmulatorTenant? tenant,
        bool isAlias,
        [NotNullWhen(true)] string? clientId,
        [NotNullWhen(true)] out EmulatorApplication? application,
        [NotNullWhen(false)] out StsError? error)
    {
        application = null;
        if (string.IsNullOrEmpty(clientId))
        {
            error = StsErrors.MissingParameter("client_id");
            return false;
        }

        var found = server.Directory.FindApplication(clientId);
        if (found is null || (tenant is not null && !ReferenceEquals(found.Tenant, tenant)))
        {
            error = StsErrors.ApplicationNotFound(clientId, tenant?.TenantId ?? HttpResponses.TenantSegment(context));
            return false;
        }

        if (isAlias)
        {
            error = StsErrors.NotMultiTenant(found);
            return false;
        }

        application = found;
        error = null;
        return true;
    }
}
