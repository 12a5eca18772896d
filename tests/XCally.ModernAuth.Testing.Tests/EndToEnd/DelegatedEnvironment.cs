using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

/// <summary>
/// An emulator with two users who own their mailboxes (agent, clerk), one <see cref="FakeTimeProvider"/> for the emulator and
/// the SDK, and a temporary folder for token caches and the Data Protection key ring. <see cref="StartHostAsync"/> starts an SDK
/// host on it through the public API; several hosts (a restart, a second machine) may share the folder.
/// </summary>
internal sealed class DelegatedEnvironment : IAsyncDisposable
{
    public const string ProviderName = "emulator-delegated";

    private readonly List<ServiceProvider> _hosts = [];

    private DelegatedEnvironment(ModernAuthEmulator emulator, FakeTimeProvider time, string folder)
    {
        Emulator = emulator;
        Time = time;
        Folder = folder;
    }

    public ModernAuthEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    public string Folder { get; }

    public string KeyRing => Path.Combine(Folder, "keys");

    public string CacheFolder => Path.Combine(Folder, "tokens");

    public string Agent => $"agent@{Emulator.Tenant.Domain}";

    public string Clerk => $"clerk@{Emulator.Tenant.Domain}";

    public EmulatorUser AgentUser => Emulator.Directory.FindUser(Agent)!;

    public EmulatorUser ClerkUser => Emulator.Directory.FindUser(Clerk)!;

    public static async Task<DelegatedEnvironment> StartAsync()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new ModernAuthEmulatorOptions { TimeProvider = time };
        options.UsersWithMailboxes.Add("agent");
        options.UsersWithMailboxes.Add("clerk");
        options.Identity.DeviceCodePollingInterval = TimeSpan.FromSeconds(1);
        var emulator = await ModernAuthEmulator.StartAsync(options, TestContext.Current.CancellationToken);
        var folder = Path.Combine(Path.GetTempPath(), "xcally-delegated-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        return new DelegatedEnvironment(emulator, time, folder);
    }

    /// <summary>Starts an SDK host: the delegated provider and accounts of the emulator, a file token cache in the shared folder unless <paramref name="configure"/> says otherwise.</summary>
    public Host StartHost(Action<IModernAuthBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddSingleton<TimeProvider>(Time);
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(KeyRing)).SetApplicationName("XCally.ModernAuth.Tests");
        var builder = services.AddXCallyModernAuth().UseEmulator(Emulator, ProviderName, AuthFlow.Delegated).UseFileTokenCache(CacheFolder);
        configure?.Invoke(builder);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _hosts.Add(provider);
        return new Host(this, provider);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        Assert.Equal(0, Emulator.Mail.FaultedSessions);
        await Emulator.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind does not fail the test.
        }
    }

    /// <summary>One SDK host (a process) on the environment.</summary>
    internal sealed class Host(DelegatedEnvironment environment, ServiceProvider services)
    {
        private static CancellationToken Ct => TestContext.Current.CancellationToken;

        public ServiceProvider Services { get; } = services;

        public IModernAuthAuthorization Authorization => Services.GetRequiredService<IModernAuthAuthorization>();

        public ITokenProvider Tokens => Services.GetRequiredService<ITokenProvider>();

        public IMailClientConnector Connector => Services.GetRequiredService<IMailClientConnector>();

        public FakeLogCollector Logs => Services.GetFakeLogCollector();

        public async Task<EmailAccount> AccountAsync(string address) =>
            await Services.GetRequiredService<IEmailAccountStore>().FindAsync(address, Ct) ?? throw new InvalidOperationException(address);

        /// <summary>The whole browser round trip: begin, sign in at the emulator, complete with the callback's code and state.</summary>
        public async Task<DelegatedAuthorizationResult> SignInAsync(string address, string? loginHint = null)
        {
            var (code, state) = await BeginAndSignInAsync(address, loginHint);
            return await Authorization.CompleteAsync(code, state, Ct);
        }

        public async Task<(string Code, string State)> BeginAndSignInAsync(string address, string? loginHint = null)
        {
            var url = await Authorization.BeginAsync(await AccountAsync(address), loginHint: loginHint, cancellationToken: Ct);
            var callback = await environment.Emulator.SignInAsync(url, Ct);
            var query = QueryHelpers.ParseQuery(callback.Query);
            return (query["code"].ToString(), query["state"].ToString());
        }

        public async Task<AccessToken> TokenAsync(string address) =>
            await Tokens.GetAccessTokenAsync(await AccountAsync(address), MailProtocol.Imap, Ct);
    }
}
