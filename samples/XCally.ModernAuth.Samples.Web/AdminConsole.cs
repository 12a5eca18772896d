using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Salesforce;
using XCally.ModernAuth.Samples.Web.Administrators;
using XCally.ModernAuth.Samples.Web.Checks;
using XCally.ModernAuth.Samples.Web.Data;
using XCally.ModernAuth.Samples.Web.Demo;
using XCally.ModernAuth.Samples.Web.Secrets;
using XCally.ModernAuth.Samples.Web.Status;
using XCally.ModernAuth.Samples.Web.Stores;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Samples.Web;

/// <summary>
/// The administrator's console: composition root. Providers and accounts live in the database and reach the SDK through the
/// console's own <see cref="ICloudProviderStore"/>/<see cref="IEmailAccountStore"/> (and <see cref="ISalesforceProviderStore"/>);
/// with nothing configured it runs on the embedded emulators with demo rows.
/// </summary>
public static class AdminConsole
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string EntraScheme = OpenIdConnectDefaults.AuthenticationScheme;

    /// <summary>
    /// The default data folder (database, Data Protection keys, token cache): <c>XCally.ModernAuth.Samples.Web</c> under the user's
    /// local application data (<c>~/.local/share</c>, <c>%LOCALAPPDATA%</c>). Set <c>AdminConsole:DataDirectory</c> to move it.
    /// </summary>
    public static string DefaultDataDirectory => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify) is { Length: > 0 } root ? root : AppContext.BaseDirectory,
        "XCally.ModernAuth.Samples.Web");

    /// <summary>Builds the console; migrations have run and the demo rows are written when this returns.</summary>
    /// <param name="args">Command-line arguments (<c>--urls</c>, configuration keys).</param>
    /// <param name="configure">Changes to the builder before it is built (tests: clock, logging, settings).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(AdminConsole).Assembly.GetName().Name,
        });
        configure?.Invoke(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;

        var dataDirectory = Path.GetFullPath(configuration["AdminConsole:DataDirectory"] ?? DefaultDataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var demo = configuration.GetValue<bool?>("Demo:Enabled") ?? string.IsNullOrWhiteSpace(database.ConnectionString);
        if (database.Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            database.ConnectionString = $"Data Source={Path.Combine(dataDirectory, demo ? "demo.db" : "admin-console.db")}";
        }

        services.TryAddSystemTimeProvider();
        var timeProvider = services.BuildTimeProvider();

        // Secrets at rest: the key ring in the data folder (or a shared folder for several instances).
        services.AddDataProtection()
            .SetApplicationName("XCally.ModernAuth.Samples.Web")
            .PersistKeysToFileSystem(new DirectoryInfo(configuration["DataProtection:KeysDirectory"] ?? Path.Combine(dataDirectory, "keys")));
        services.AddSingleton<SecretProtector>();

        services.AddAdminDatabase(database);
        services.AddSingleton(new StoreChangeNotifier());
        services.AddSingleton<RecordMapping>();
        services.AddSingleton<ProviderCatalog>();

        // The SDK's stores are the console's: registered before AddXCallyModernAuth, whose defaults are TryAdd.
        services.AddSingleton<ICloudProviderStore, DatabaseCloudProviderStore>();
        services.AddSingleton<IEmailAccountStore, DatabaseEmailAccountStore>();
        services.AddSingleton<ISalesforceProviderStore, DatabaseSalesforceProviderStore>();
        var modernAuth = services.AddXCallyModernAuth().AddSalesforce();

        DemoEnvironment? demoEnvironment = null;
        if (demo)
        {
            demoEnvironment = await DemoEnvironment.StartAsync(timeProvider, cancellationToken);
            services.AddSingleton(_ => demoEnvironment);
            modernAuth.TrustEmulator(demoEnvironment.Office365).UseMemoryTokenCache();
            services.AddHttpClient(SalesforceDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(demoEnvironment.Salesforce.CreateHttpMessageHandler);
        }
        else
        {
            modernAuth.UseFileTokenCache(configuration["TokenCache:Directory"] ?? Path.Combine(dataDirectory, "tokens"));
        }

        services.AddSingleton(new ConsoleMode(demo, dataDirectory, database.Provider));
        services.AddSingleton<AccountActivity>();
        services.AddSingleton<WatchedAccounts>();
        services.AddSingleton<IAccountCheck, DiagnosisAccountCheck>();
        if (configuration.GetValue("AdminConsole:WatchInboxes", true))
        {
            services.AddHostedService<InboxWatcher>();
        }

        services.Configure<AdministratorOptions>(configuration.GetSection(AdministratorOptions.SectionName));
        services.AddSingleton<AdministratorAccounts>();
        AddSignIn(services, configuration.GetSection(AdministratorOptions.SectionName).Get<AdministratorOptions>() ?? new AdministratorOptions());

        services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/Features";
            pages.Conventions.AllowAnonymousToPage("/Administrators/SignIn");
            pages.Conventions.AllowAnonymousToPage("/Administrators/Setup");
            pages.Conventions.AllowAnonymousToPage("/Shared/Error");
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "xcally-admin-antiforgery";
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.Configure<CookieTempDataProviderOptions>(tempData =>
        {
            tempData.Cookie.Name = "xcally-admin-notice";
            tempData.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.Configure<ForwardedHeadersOptions>(forwarded => forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);

        var app = builder.Build();
        await PrepareAsync(app, demoEnvironment, cancellationToken);
        Configure(app);
        return app;
    }

    private static void AddSignIn(IServiceCollection services, AdministratorOptions administrators)
    {
        var authentication = services.AddAuthentication(CookieScheme).AddCookie(CookieScheme, cookie =>
        {
            cookie.Cookie.Name = "xcally-admin";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

            // Lax, not Strict: the identity platform's redirect back to the sign-in callback must carry the administrator's cookie.
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.LoginPath = "/signin";
            cookie.LogoutPath = "/signout";
            cookie.AccessDeniedPath = "/signin";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
        });

        var entra = administrators.OpenIdConnect;
        if (entra.IsConfigured)
        {
            authentication.AddOpenIdConnect(EntraScheme, "Microsoft Entra ID", oidc =>
            {
                oidc.SignInScheme = CookieScheme;
                oidc.Authority = $"{entra.Instance.TrimEnd('/')}/{entra.TenantId}/v2.0";
                oidc.ClientId = entra.ClientId;
                oidc.ClientSecret = entra.ClientSecret;
                oidc.ResponseType = "code";
                oidc.UsePkce = true;
                oidc.CallbackPath = "/signin-oidc";
                oidc.Scope.Add("email");
                oidc.MapInboundClaims = false;
                oidc.TokenValidationParameters.NameClaimType = "preferred_username";
                oidc.TokenValidationParameters.RoleClaimType = "roles";
                oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.Events.OnTokenValidated = context =>
                {
                    var user = context.Principal?.FindFirst("preferred_username")?.Value ?? string.Empty;
                    var allowed = context.Principal?.HasClaim("roles", entra.RequiredRole) == true
                        || entra.AllowedUsers.Contains(user, StringComparer.OrdinalIgnoreCase);
                    if (!allowed)
                    {
                        context.Fail($"'{user}' is not an administrator of the console: assign the app role {entra.RequiredRole} under the app's Enterprise application, Users and groups.");
                        return Task.CompletedTask;
                    }

                    context.Principal = AdministratorAccounts.Principal(user, "entra");
                    return Task.CompletedTask;
                };
                oidc.Events.OnRemoteFailure = context =>
                {
                    context.HandleResponse();
                    context.Response.Redirect("/signin?failure=" + Uri.EscapeDataString(context.Failure?.Message ?? "The sign-in failed."));
                    return Task.CompletedTask;
                };
            });
        }

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(CookieScheme)
                .RequireAuthenticatedUser()
                .RequireRole(AdministratorAccounts.Role)
                .Build());
    }

    private static async Task PrepareAsync(WebApplication app, DemoEnvironment? demo, CancellationToken cancellationToken)
    {
        var services = app.Services;
        var databases = services.GetRequiredService<IDbContextFactory<AdminDbContext>>();
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        await services.GetRequiredService<AdministratorAccounts>().ApplyConfiguredPasswordAsync(cancellationToken);
        if (demo is null)
        {
            return;
        }

        // The delegated demo provider's redirect URI is this console's callback, known once it listens.
        var timeProvider = services.GetRequiredService<TimeProvider>();
        var secrets = services.GetRequiredService<SecretProtector>();
        await demo.SeedAsync(databases, secrets, timeProvider, redirectUri: null, cancellationToken);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var callbacks = demo.RegisterCallbacks(addresses);
            if (callbacks.Count > 0)
            {
                demo.SeedAsync(databases, secrets, timeProvider, callbacks[0], CancellationToken.None).GetAwaiter().GetResult();
            }
        });
    }

    private static void Configure(WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            app.UseHsts();
        }

        app.UseForwardedHeaders();

        // Cookies are Secure on HTTPS (directly or behind a TLS proxy with X-Forwarded-Proto); plain HTTP is answered only on this
        // machine (the demo, a local try-out), so neither a password nor a session cookie crosses a network in clear.
        app.Use(async (context, next) =>
        {
            if (!context.Request.IsHttps && context.Request.Path != "/health" && context.Connection.RemoteIpAddress is { } remote && !System.Net.IPAddress.IsLoopback(remote))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("The console is served over plain HTTP only to this machine; reach it over HTTPS.");
                return;
            }

            await next(context);
        });
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";

            // No script at all: the console is plain HTML forms.
            headers.ContentSecurityPolicy = "default-src 'self'; script-src 'none'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'";
            await next(context);
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapRazorPages();
        app.MapPost("/signout", async context =>
        {
            await context.SignOutAsync(CookieScheme);
            context.Response.Redirect("/signin");
        });
        if (app.Services.GetRequiredService<IOptions<AdministratorOptions>>().Value.OpenIdConnect.IsConfigured)
        {
            app.MapGet("/signin/entra", context => context.ChallengeAsync(EntraScheme, new Microsoft.AspNetCore.Authentication.AuthenticationProperties { RedirectUri = "/" }))
                .AllowAnonymous();
        }
    }

    private static void TryAddSystemTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    // The clock the emulators share with the console: a test may have registered a fake one.
    private static TimeProvider BuildTimeProvider(this IServiceCollection services) =>
        services.Last(descriptor => descriptor.ServiceType == typeof(TimeProvider)).ImplementationInstance as TimeProvider ?? TimeProvider.System;
}

/// <summary>What the console runs on, for the home page.</summary>
public sealed record ConsoleMode(bool Demo, string DataDirectory, DatabaseProvider Database);
