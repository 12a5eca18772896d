using XCally.ModernAuth.Samples.Web;

// The administrator's console: `dotnet run --project samples/XCally.ModernAuth.Samples.Web` serves it on the embedded emulators
// when nothing is configured. See the README beside this file.
await using var app = await AdminConsole.BuildAsync(args);
await app.RunAsync();
