namespace XCally.ModernAuth.Internal;

/// <summary>Argument checks every transport makes.</summary>
internal static class MailTransportChecks
{
    public static void OwnBatch(EmailAccount account, IncomingMailBatch batch)
    {
        if (!string.Equals(batch.AccountAddress, account.Address, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The batch was read from '{batch.AccountAddress}', not '{account.Address}'; commit it on its own account's transport.", nameof(batch));
        }
    }
}
