using System.Text;
using MailKit;
using XCally.ModernAuth.Tests.Mail.Fakes;

namespace XCally.ModernAuth.Tests.Mail;

public class RedactingProtocolLoggerTests
{
    [Fact]
    public void Redact_XOAuth2_KeepsUserMasksToken()
    {
        Assert.Equal("user=alice@contoso.test^Aauth=Bearer ********^A^A", RedactingProtocolLogger.Redact(MailTestData.XOAuth2("alice@contoso.test", "abc.def.ghi")));
    }

    [Fact]
    public void Redact_OAuthBearer_KeepsAuthzidHostPortMasksToken()
    {
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("n,a=alice@contoso.test,\u0001host=outlook.office365.com\u0001port=993\u0001auth=Bearer abc\u0001\u0001"));

        Assert.Equal("n,a=alice@contoso.test,^Ahost=outlook.office365.com^Aport=993^Aauth=Bearer ********^A^A", RedactingProtocolLogger.Redact(payload));
    }

    [Theory]
    [InlineData("AGFsaWNlAHBhc3N3b3Jk")] // PLAIN: \0alice\0password
    [InlineData("not base64 at all!")]
    public void Redact_AnythingElse_FullyMasked(string secret)
    {
        Assert.Equal(RedactingProtocolLogger.Mask, RedactingProtocolLogger.Redact(secret));
    }

    [Fact]
    public void LogClient_SecretSplitOverWrites_RedactedOnceWhole()
    {
        using var sink = new MemoryStream();
        var payload = MailTestData.XOAuth2("alice@contoso.test", "the-secret-token");
        var line = Encoding.ASCII.GetBytes("AUTH XOAUTH2 " + payload + "\r\n");
        var secretStart = "AUTH XOAUTH2 ".Length;
        var split = secretStart + 10;
        using (var logger = new RedactingProtocolLogger(new ProtocolLogger(sink, leaveOpen: true)))
        {
            logger.AuthenticationSecretDetector = new FixedSecrets((0, secretStart, split - secretStart), (1, 0, payload.Length - 10));
            logger.LogClient(line, 0, split);
            logger.LogClient(line, split, line.Length - split);
        }

        var text = Encoding.ASCII.GetString(sink.ToArray());
        Assert.Equal("C: AUTH XOAUTH2 user=alice@contoso.test^Aauth=Bearer ********^A^A\r\n", text);
    }

    /// <summary>Reports, for the n-th call, one secret span (relative to that call's offset), as MailKit's detectors do across writes.</summary>
    private sealed class FixedSecrets(params (int Call, int Start, int Length)[] spans) : IAuthenticationSecretDetector
    {
        private int _call;

        public IList<AuthenticationSecret> DetectSecrets(byte[] buffer, int offset, int count)
        {
            var current = _call++;
            return [.. spans.Where(s => s.Call == current).Select(s => new AuthenticationSecret(offset + s.Start, s.Length))];
        }
    }
}
