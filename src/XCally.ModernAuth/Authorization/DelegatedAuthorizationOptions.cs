namespace XCally.ModernAuth;

/// <summary>Settings of delegated sign-ins (<see cref="IModernAuthAuthorization"/>).</summary>
public sealed class DelegatedAuthorizationOptions
{
    /// <summary>
    /// How long a sign-in started with <see cref="IModernAuthAuthorization.BeginAsync"/> may take before its <c>state</c> is
    /// refused. Default 10 minutes.
    /// </summary>
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
