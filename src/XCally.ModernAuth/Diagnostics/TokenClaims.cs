using System.Buffers.Text;
using System.Text.Json;

namespace XCally.ModernAuth.Diagnostics;

/// <summary>
/// The claims of an access token that explain a refusal (<c>aud</c>, <c>roles</c>, <c>scp</c>, <c>tid</c>, <c>upn</c>, <c>oid</c>,
/// <c>appid</c>, <c>exp</c>), read from its payload without checking the signature: the mail server checks that, the SDK only
/// wants to say why the server may have refused. Holds nothing of the token itself; its <see cref="ToString"/> lists only
/// claims that are no secret.
/// </summary>
internal sealed class TokenClaims
{
    private TokenClaims()
    {
    }

    /// <summary>The audiences (<c>aud</c>): the resource the token is for.</summary>
    public IReadOnlyList<string> Audiences { get; private init; } = [];

    /// <summary>The application roles (<c>roles</c>) of an app-only token, such as <c>IMAP.AccessAsApp</c>.</summary>
    public IReadOnlyList<string> Roles { get; private init; } = [];

    /// <summary>The delegated scopes (<c>scp</c>, space-separated in the token), such as <c>IMAP.AccessAsUser.All</c>.</summary>
    public IReadOnlyList<string> Scopes { get; private init; } = [];

    /// <summary>The tenant that issued the token (<c>tid</c>).</summary>
    public string? TenantId { get; private init; }

    /// <summary>The signed-in user (<c>upn</c>, else <c>preferred_username</c> or <c>unique_name</c>) of a delegated token.</summary>
    public string? UserPrincipalName { get; private init; }

    /// <summary>The object id (<c>oid</c>): the user's, or the service principal's in an app-only token.</summary>
    public string? ObjectId { get; private init; }

    /// <summary>The client application (<c>appid</c>, else <c>azp</c>).</summary>
    public string? ApplicationId { get; private init; }

    /// <summary>When the token expires (<c>exp</c>).</summary>
    public DateTimeOffset? ExpiresOn { get; private init; }

    /// <summary>Whether the token is an app-only one (roles, no user).</summary>
    public bool IsAppOnly => Scopes.Count == 0 && UserPrincipalName is null;

    /// <summary>Reads the claims of a JSON Web Token (JWS compact form).</summary>
    /// <param name="token">The token.</param>
    /// <returns>The claims, or <see langword="null"/> when the token is not a readable JWT (an opaque or encrypted token).</returns>
    public static TokenClaims? TryRead(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return null;
        }

        var payload = parts[1];
        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(payload.Length) + 3];
        if (!TryDecodeBase64Url(payload, buffer, out var length))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new TokenClaims
            {
                Audiences = Strings(root, "aud"),
                Roles = Strings(root, "roles"),
                Scopes = String(root, "scp")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [],
                TenantId = String(root, "tid"),
                UserPrincipalName = String(root, "upn") ?? String(root, "preferred_username") ?? String(root, "unique_name"),
                ObjectId = String(root, "oid"),
                ApplicationId = String(root, "appid") ?? String(root, "azp"),
                ExpiresOn = root.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                    : null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"aud={string.Join(' ', Audiences)}, tid={TenantId}, appid={ApplicationId}, oid={ObjectId}, upn={UserPrincipalName}, "
        + $"roles={string.Join(' ', Roles)}, scp={string.Join(' ', Scopes)}, exp={ExpiresOn:O}";

    private static bool TryDecodeBase64Url(string text, byte[] buffer, out int length)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch
        {
            2 => "==",
            3 => "=",
            _ => string.Empty,
        };
        return Convert.TryFromBase64String(padded, buffer, out length);
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string[] Strings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
            _ => [],
        };
    }
}
