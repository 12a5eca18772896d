using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// The managed identity endpoint of the Azure resource the host pretends to run on, of the kind App Service and Functions offer
/// (<c>IDENTITY_ENDPOINT</c> and <c>IDENTITY_HEADER</c>, API version 2019-08-01), which MSAL finds from those environment variables.
/// The resource has an optional system-assigned identity and any number of user-assigned ones; each is an
/// <see cref="EmulatorApplication"/> made by <see cref="EmulatorDirectory.AddManagedIdentity"/>. Thread-safe.
/// </summary>
public sealed class EmulatorManagedIdentityEndpoint
{
    /// <summary>The environment variable App Service sets to the endpoint's URL.</summary>
    public const string IdentityEndpointVariable = "IDENTITY_ENDPOINT";

    /// <summary>The environment variable App Service sets to the secret the endpoint wants in <c>X-IDENTITY-HEADER</c>.</summary>
    public const string IdentityHeaderVariable = "IDENTITY_HEADER";

    private readonly ConcurrentDictionary<string, EmulatorApplication> _userAssigned = new(StringComparer.OrdinalIgnoreCase);
    private int _requests;

    internal EmulatorManagedIdentityEndpoint(Uri endpoint)
    {
        Endpoint = endpoint;
    }

    /// <summary>The endpoint, <c>https://127.0.0.1:{port}/msi/token</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The value the endpoint wants in the <c>X-IDENTITY-HEADER</c> request header, new for every server.</summary>
    public string Header { get; } = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));

    /// <summary>The resource's system-assigned identity, or <see langword="null"/> when it has none (the default).</summary>
    public EmulatorApplication? SystemAssigned { get; set; }

    /// <summary>The user-assigned identities given to the resource.</summary>
    public IEnumerable<EmulatorApplication> UserAssigned => _userAssigned.Values;

    /// <summary>How many token requests reached the endpoint.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>
    /// The environment variables App Service gives the process (<c>IDENTITY_ENDPOINT</c>, <c>IDENTITY_HEADER</c>); set them
    /// process-wide for MSAL to find the endpoint, and restore them afterwards.
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [IdentityEndpointVariable] = Endpoint.ToString(),
        [IdentityHeaderVariable] = Header,
    };

    /// <summary>Gives the resource a user-assigned identity.</summary>
    /// <param name="identity">A managed identity of the directory.</param>
    public void AddUserAssigned(EmulatorApplication identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (!identity.IsManagedIdentity)
        {
            throw new ArgumentException($"{identity} is an app registration, not a managed identity; make one with EmulatorDirectory.AddManagedIdentity.", nameof(identity));
        }

        _userAssigned[identity.ClientId] = identity;
    }

    /// <summary>Takes a user-assigned identity away from the resource.</summary>
    /// <param name="identity">The identity.</param>
    public void RemoveUserAssigned(EmulatorApplication identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _userAssigned.TryRemove(identity.ClientId, out _);
    }

    internal void CountRequest() => Interlocked.Increment(ref _requests);

    /// <summary>The identity a request names: by client id, resource id or object (principal) id, else the system-assigned one.</summary>
    internal EmulatorApplication? Find(string? clientId, string? resourceId, string? objectId)
    {
        if (!string.IsNullOrEmpty(clientId))
        {
            return _userAssigned.GetValueOrDefault(clientId);
        }

        if (!string.IsNullOrEmpty(resourceId))
        {
            return _userAssigned.Values.FirstOrDefault(i => string.Equals(i.ManagedIdentityResourceId, resourceId, StringComparison.OrdinalIgnoreCase));
        }

        if (!string.IsNullOrEmpty(objectId))
        {
            return _userAssigned.Values.FirstOrDefault(i => string.Equals(i.ServicePrincipalId, objectId, StringComparison.OrdinalIgnoreCase));
        }

        return SystemAssigned;
    }
}
