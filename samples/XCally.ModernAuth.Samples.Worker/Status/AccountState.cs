namespace XCally.ModernAuth.Samples.Worker;

/// <summary>An account's latest status.</summary>
/// <param name="Status">What the account's channel is doing.</param>
/// <param name="Since">When it started doing so.</param>
/// <param name="Failure">Why it is reconnecting or failed; <see langword="null"/> otherwise.</param>
public sealed record AccountState(AccountStatus Status, DateTimeOffset Since, AccountFailure? Failure);
