namespace XCally.ModernAuth.InteropTests.Tokens;

/// <summary>
/// Publishes an RSA public key to Dovecot's oauth2 passdb. Dovecot looks a token's key up as
/// <c>shared/&lt;azp or "default"&gt;/&lt;alg&gt;/&lt;kid&gt;</c> in its key dict and, with <c>fs:posix</c>, strips <c>shared/</c>:
/// so a token without <c>azp</c> signed RS256 needs <c>&lt;keys&gt;/default/RS256/&lt;kid&gt;</c>, and a token whose <c>azp</c> is an
/// application's client id (every Entra token, and the emulator's) needs <c>&lt;keys&gt;/&lt;client id&gt;/RS256/&lt;kid&gt;</c>; Dovecot
/// does not fall back to <c>default</c>. Dovecot reads the key on each login.
/// </summary>
public static class DovecotKeyDirectory
{
    /// <summary>The folder Dovecot uses for tokens without an <c>azp</c> claim.</summary>
    public const string DefaultAuthorizedParty = "default";

    /// <summary>Writes the PEM where Dovecot will look for tokens carrying <paramref name="keyId"/>.</summary>
    /// <param name="keyDirectory">The stack's key folder.</param>
    /// <param name="keyId">The <c>kid</c>.</param>
    /// <param name="publicKeyPem">The <c>PUBLIC KEY</c> PEM.</param>
    /// <param name="authorizedParty">The tokens' <c>azp</c> (a client id), or <see cref="DefaultAuthorizedParty"/> for tokens without one.</param>
    public static void Publish(string keyDirectory, string keyId, string publicKeyPem, string authorizedParty = DefaultAuthorizedParty)
    {
        EnsureFileName(keyId, nameof(keyId));
        EnsureFileName(authorizedParty, nameof(authorizedParty));

        var party = Path.Combine(keyDirectory, authorizedParty);
        var folder = Path.Combine(party, "RS256");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, keyId);
        File.WriteAllText(file, publicKeyPem);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Dovecot's auth process runs unprivileged: the folders and the (public) key must be readable by everyone.
        var readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(party, readable);
        File.SetUnixFileMode(folder, readable);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private static void EnsureFileName(string value, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameterName);
        if (value.IndexOfAny(['/', '\\']) >= 0 || value.StartsWith('.'))
        {
            throw new ArgumentException($"'{value}' cannot be a file name.", parameterName);
        }
    }
}
