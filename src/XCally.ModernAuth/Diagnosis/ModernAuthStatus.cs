namespace XCally.ModernAuth;

/// <summary>The status of every cloud provider and email account, from <see cref="IModernAuthDiagnostics.GetStatusAsync"/>.</summary>
public sealed class ModernAuthStatus
{
    internal ModernAuthStatus(DateTimeOffset checkedAt, IReadOnlyList<ModernAuthStatusEntry> entries)
    {
        CheckedAt = checkedAt;
        Entries = entries;
    }

    /// <summary>When the status was taken.</summary>
    public DateTimeOffset CheckedAt { get; }

    /// <summary>The providers first, then the accounts.</summary>
    public IReadOnlyList<ModernAuthStatusEntry> Entries { get; }

    /// <summary>The worst health of any entry; <see cref="ModernAuthHealth.Healthy"/> when there is none.</summary>
    public ModernAuthHealth Health => Entries.Count == 0 ? ModernAuthHealth.Healthy : Entries.Min(entry => entry.Health);
}
