namespace XCally.ModernAuth.InteropTests.Stack;

/// <summary>The mail stack cannot run on this machine (not Linux, not root, or the server packages are not installed).</summary>
public sealed class MailStackUnavailableException : Exception
{
    /// <summary>The command that installs the servers.</summary>
    public const string InstallCommand = "sudo apt-get install dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix openssl";

    /// <summary>Creates the exception.</summary>
    public MailStackUnavailableException()
        : this("The mail stack is unavailable.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the stack cannot run, and how to fix it.</param>
    public MailStackUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the stack cannot run, and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public MailStackUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
