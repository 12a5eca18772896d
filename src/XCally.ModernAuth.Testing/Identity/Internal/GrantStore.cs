using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>
/// The server-side state of delegated grants: authorization codes, refresh tokens, device codes and user consent.
/// Codes and refresh tokens are opaque random strings. Each state change happens under one lock, so a code or a refresh token
/// is redeemed at most once even when requests race.
/// </summary>
internal sealed class GrantStore
{
    private const string UserCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ23456789";

    private readonly object _gate = new();
    private readonly Dictionary<string, AuthorizationCodeGrant> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshTokenGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeviceCodeGrant> _deviceCodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string ClientId, string ObjectId), byte> _consents = new();
    private readonly ConcurrentDictionary<(string ClientId, string ObjectId), ConcurrentDictionary<string, byte>> _permissions = new();

    public static string NewOpaqueValue() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(48));

    public object Gate => _gate;

    public void RecordConsent(EmulatorApplication application, EmulatorUser user) => _consents[(application.ClientId.ToUpperInvariant(), user.ObjectId)] = 0;

    /// <summary>Records a user's consent and the permissions consented to (a Graph token needs its permissions consented).</summary>
    public void RecordConsent(EmulatorApplication application, EmulatorUser user, IEnumerable<string> permissions)
    {
        RecordConsent(application, user);
        var set = _permissions.GetOrAdd((application.ClientId.ToUpperInvariant(), user.ObjectId), _ => new ConcurrentDictionary<string, byte>(StringComparer.OrdinalIgnoreCase));
        foreach (var permission in permissions)
        {
            set[permission] = 0;
        }
    }

    /// <summary>Whether a user consented to every one of some permissions of an application.</summary>
    public bool HasConsentTo(EmulatorApplication application, EmulatorUser user, IEnumerable<string> permissions) =>
        _permissions.TryGetValue((application.ClientId.ToUpperInvariant(), user.ObjectId), out var set) && permissions.All(set.ContainsKey);

    public bool HasConsent(EmulatorApplication application, EmulatorUser user) => _consents.ContainsKey((application.ClientId.ToUpperInvariant(), user.ObjectId));

    public void WithdrawConsent(EmulatorApplication application, EmulatorUser user)
    {
        _consents.TryRemove((application.ClientId.ToUpperInvariant(), user.ObjectId), out _);
        _permissions.TryRemove((application.ClientId.ToUpperInvariant(), user.ObjectId), out _);
    }

    public string AddCode(AuthorizationCodeGrant grant)
    {
        var code = NewOpaqueValue();
        lock (_gate)
        {
            _codes[code] = grant;
        }

        return code;
    }

    /// <summary>Finds a code; call under <see cref="Gate"/> when redeeming.</summary>
    public AuthorizationCodeGrant? FindCode(string code) => _codes.GetValueOrDefault(code);

    public string AddRefreshToken(RefreshTokenGrant grant)
    {
        var token = NewOpaqueValue();
        lock (_gate)
        {
            _refreshTokens[token] = grant;
        }

        return token;
    }

    /// <summary>Finds a refresh token; call under <see cref="Gate"/> when redeeming.</summary>
    public RefreshTokenGrant? FindRefreshToken(string token) => _refreshTokens.GetValueOrDefault(token);

    public int RevokeRefreshTokens(EmulatorUser user)
    {
        lock (_gate)
        {
            var revoked = 0;
            foreach (var grant in _refreshTokens.Values.Where(g => ReferenceEquals(g.User, user) && !g.Revoked))
            {
                grant.Revoked = true;
                revoked++;
            }

            return revoked;
        }
    }

    public (string DeviceCode, string UserCode) AddDeviceCode(DeviceCodeGrant grant)
    {
        var deviceCode = NewOpaqueValue();
        lock (_gate)
        {
            string userCode;
            do
            {
                userCode = RandomNumberGenerator.GetString(UserCodeAlphabet, 9);
            }
            while (_deviceCodes.Values.Any(g => g.UserCode == userCode));

            grant.UserCode = userCode;
            _deviceCodes[deviceCode] = grant;
            return (deviceCode, userCode);
        }
    }

    /// <summary>Finds a device code; call under <see cref="Gate"/> when redeeming.</summary>
    public DeviceCodeGrant? FindDeviceCode(string deviceCode) => _deviceCodes.GetValueOrDefault(deviceCode);

    public DeviceCodeGrant? FindByUserCode(string userCode)
    {
        lock (_gate)
        {
            return _deviceCodes.Values.FirstOrDefault(g => string.Equals(g.UserCode, userCode.Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
        }
    }
}

/// <summary>An issued authorization code.</summary>
internal sealed record AuthorizationCodeGrant(
    EmulatorApplication Application,
    EmulatorUser User,
    string RedirectUri,
    string Scope,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    string? Nonce,
    DateTimeOffset ExpiresAt)
{
    public bool Redeemed { get; set; }
}

/// <summary>An issued refresh token.</summary>
internal sealed record RefreshTokenGrant(EmulatorApplication Application, EmulatorUser User, DateTimeOffset ExpiresAt)
{
    public bool Used { get; set; }

    public bool Revoked { get; set; }
}

/// <summary>A device authorization, waiting for the user.</summary>
internal sealed record DeviceCodeGrant(EmulatorApplication Application, string Scope, DateTimeOffset ExpiresAt)
{
    public string UserCode { get; set; } = string.Empty;

    public DeviceCodeState State { get; set; }

    public EmulatorUser? User { get; set; }
}

/// <summary>Where a device authorization stands.</summary>
internal enum DeviceCodeState
{
    Pending,
    Approved,
    Declined,
    Redeemed,
}
