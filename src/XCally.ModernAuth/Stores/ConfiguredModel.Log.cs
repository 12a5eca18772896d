using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Internal;

internal sealed partial class ConfiguredModel
{
    private static partial class Log
    {
        [LoggerMessage(111, LogLevel.Information, "Configuration reloaded: {ProviderCount} cloud providers, {AccountCount} email accounts")]
        public static partial void Reloaded(ILogger logger, int providerCount, int accountCount);

        [LoggerMessage(112, LogLevel.Error, "The reloaded configuration could not be applied, so the last valid cloud providers and email accounts stay in use")]
        public static partial void RebuildFailed(ILogger logger, Exception exception);

        [LoggerMessage(113, LogLevel.Warning, "The configuration setting '{Path}' is not known and is ignored; check its spelling")]
        public static partial void UnknownSetting(ILogger logger, string path);

        [LoggerMessage(114, LogLevel.Warning, "The client secret of cloud provider '{CloudProvider}' expires on {ExpiresOn:yyyy-MM-dd}; add a new one under the app registration's Certificates & secrets and update ClientSecret and SecretExpiresOn")]
        public static partial void SecretExpiresSoon(ILogger logger, string cloudProvider, DateTimeOffset expiresOn);

        [LoggerMessage(115, LogLevel.Warning, "The client secret of cloud provider '{CloudProvider}' is a GUID, which is what a secret's Secret ID looks like; ClientSecret needs the secret's Value, shown only when the secret is created")]
        public static partial void SecretLooksLikeSecretId(ILogger logger, string cloudProvider);
    }
}
