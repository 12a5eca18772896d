namespace XCally.ModernAuth.Internal;

/// <summary>
/// Where a <see cref="TokenSlot"/> belongs, kept inside the slot (no object of its own): the token provider that made it (account
/// objects may be shared by several), its provider's tokens, the sign-in and the resource. The hot path checks the first two
/// when it takes a slot from an account's hint; the owner finds the slot again with the last two when it goes idle.
/// </summary>
internal readonly record struct SlotPlace(object Issuer, ProviderTokens Tokens, string SignInName, TokenResource Resource);
