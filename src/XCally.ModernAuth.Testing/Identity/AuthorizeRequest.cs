namespace XCally.ModernAuth.Testing;

/// <summary>
/// A sign-in at the emulator's authorization endpoint, handed to <see cref="EmulatorIdentityServer.SignIn"/> so a test decides
/// who signs in (or declines, by returning <see langword="null"/>).
/// </summary>
public sealed class AuthorizeRequest
{
    internal AuthorizeRequest(EmulatorApplication application, string redirectUri, IReadOnlyList<string> scopes, string? loginHint, string? prompt, string? state)
    {
        Application = application;
        RedirectUri = redirectUri;
        Scopes = scopes;
        LoginHint = loginHint;
        Prompt = prompt;
        State = state;
    }

    /// <summary>The application asking for sign-in.</summary>
    public EmulatorApplication Application { get; }

    /// <summary>The redirect URI the code goes to.</summary>
    public string RedirectUri { get; }

    /// <summary>The scopes asked for, as sent.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>The <c>login_hint</c>, if sent.</summary>
    public string? LoginHint { get; }

    /// <summary>The <c>prompt</c>, if sent (<c>login</c>, <c>consent</c>, <c>select_account</c>, <c>none</c>).</summary>
    public string? Prompt { get; }

    /// <summary>The client's <c>state</c>, if sent.</summary>
    public string? State { get; }
}
