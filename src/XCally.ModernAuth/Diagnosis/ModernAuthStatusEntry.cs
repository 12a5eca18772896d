namespace XCally.ModernAuth;

/// <summary>The status of one cloud provider or email account, from <see cref="IModernAuthDiagnostics.GetStatusAsync"/>.</summary>
public sealed class ModernAuthStatusEntry
{
    internal ModernAuthStatusEntry(ModernAuthStatusSubject subject, string name, ModernAuthHealth health, string summary, IReadOnlyDictionary<string, object> data)
    {
        Subject = subject;
        Name = name;
        Health = health;
        Summary = summary;
        Data = data;
    }

    /// <summary>Whether this is a cloud provider or an email account.</summary>
    public ModernAuthStatusSubject Subject { get; }

    /// <summary>The provider's name or the account's address.</summary>
    public string Name { get; }

    /// <summary>The health.</summary>
    public ModernAuthHealth Health { get; }

    /// <summary>One sentence: what is wrong and the fix, or what is fine.</summary>
    public string Summary { get; }

    /// <summary>
    /// Facts for dashboards, with stable keys (<c>credential</c>, <c>credential_expires_on</c>, <c>credential_days_left</c>,
    /// <c>token_expires_on</c>, <c>last_token_failure</c>, <c>imap_sign_in</c>, <c>idle_state</c>, ...): strings, numbers and
    /// times, never a secret or a token.
    /// </summary>
    public IReadOnlyDictionary<string, object> Data { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Subject} {Name}: {Health} ({Summary})";
}
