namespace XCally.ModernAuth.Internal;

/// <summary>
/// A caller reached a <see cref="TokenSlot"/> just after its owner closed it (the provider or account changed, was removed or
/// went idle). Never leaves the SDK: the token provider looks the slot up again.
/// </summary>
internal sealed class TokenSlotClosedException : Exception
{
    public TokenSlotClosedException()
        : base("The token slot was closed.")
    {
    }

    public TokenSlotClosedException(string message)
        : base(message)
    {
    }

    public TokenSlotClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
