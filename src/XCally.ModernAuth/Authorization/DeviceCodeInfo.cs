namespace XCally.ModernAuth;

/// <summary>What the user of a device code sign-in needs: the page to open and the code to enter there.</summary>
public sealed class DeviceCodeInfo
{
    /// <summary>Creates the information.</summary>
    /// <param name="accountAddress">The account being authorized.</param>
    /// <param name="userCode">The code the user enters.</param>
    /// <param name="verificationUri">The page where the user enters it.</param>
    /// <param name="expiresOn">When the code expires.</param>
    /// <param name="message">The identity platform's instructions, ready to show.</param>
    public DeviceCodeInfo(string accountAddress, string userCode, Uri verificationUri, DateTimeOffset expiresOn, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountAddress);
        ArgumentException.ThrowIfNullOrEmpty(userCode);
        ArgumentNullException.ThrowIfNull(verificationUri);
        AccountAddress = accountAddress;
        UserCode = userCode;
        VerificationUri = verificationUri;
        ExpiresOn = expiresOn;
        Message = message ?? string.Empty;
    }

    /// <summary>The account being authorized: the user must sign in as its mailbox's user.</summary>
    public string AccountAddress { get; }

    /// <summary>The code the user enters. Short-lived and single-use, so it may be shown.</summary>
    public string UserCode { get; }

    /// <summary>The page where the user enters the code (e.g. <c>https://microsoft.com/devicelogin</c>).</summary>
    public Uri VerificationUri { get; }

    /// <summary>When the code expires.</summary>
    public DateTimeOffset ExpiresOn { get; }

    /// <summary>The identity platform's instructions, ready to show.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() => $"To authorize {AccountAddress}, open {VerificationUri} and enter the code {UserCode} (expires {ExpiresOn:O}).";
}
