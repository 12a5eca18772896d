namespace XCally.ModernAuth.InteropTests.Tokens;

/// <summary>
/// Publishes an RSA public key to Dovecot's oauth2 passdb. Dovecot looks a token's key up as
/// <c>shared/&lt;azp or "default"&gt;/&lt;alg&gt;/&lt;kid&gt;</c> in its key dict and, with <c>fs:posix</c>, strips <c>shared/</c>:
/// so a token without <c>azp</c> signed RS256 needs <c>&lt;keys&gt;/default/RS256/&lt;kid&gt;</c>. Dovecot reads it on each login.
/// </summary>
public static class DovecotKeyDirectory
{
    /// <summary>Writes the PEM where Dovecot will look for tokens carrying <paramref name="keyId"/>.</summary>
    /// <param name="keyDirectory">The stack's key folder.</param>
    /// <param name="keyId">The <c>kid</c>.</param>
    /// <param name="publicKeyPem">The <c>PUBLIC KEY</c> PEM.</param>
    public static void Publish(string keyDirectory, string keyId, string publicKeyPem)
    {
        if (keyId.IndexOfAny(['/', '\\']) >= 0 || keyId.StartsWith('.'))
        {
            throw new ArgumentException($"The key id '{keyId}' cannot be a file name.", nameof(keyId));
        }

        var folder = Path.Combine(keyDirectory, "default", "RS256");
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
        File.SetUnixFileMode(Path.Combine(keyDirectory, "default"), readable);
        File.SetUnixFileMode(folder, readable);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }
}
