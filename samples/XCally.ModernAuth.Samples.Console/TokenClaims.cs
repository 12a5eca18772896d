using Microsoft.IdentityModel.JsonWebTokens;

namespace XCally.ModernAuth.Samples.Console;

/// <summary>Prints the claims of an access token that say who it is for, never the token itself.</summary>
internal static class TokenClaims
{
    private static readonly string[] Shown = ["aud", "iss", "tid", "appid", "oid", "roles", "scp", "upn"];

    public static void Print(AccessToken token)
    {
        StepRunner.Detail($"source {token.Source}, expires {token.ExpiresOn:u}");
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token.Token);
        }
        catch (ArgumentException)
        {
            StepRunner.Detail("(the token is not a JWT the sample can read)");
            return;
        }

        foreach (var type in Shown)
        {
            var values = jwt.Claims.Where(c => c.Type == type).Select(c => c.Value).ToArray();
            if (values.Length > 0)
            {
                StepRunner.Detail($"{type,-6} {string.Join(' ', values)}");
            }
        }
    }
}
