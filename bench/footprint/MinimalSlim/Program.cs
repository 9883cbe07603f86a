// One endpoint on the slim builder: what exec to first answer costs any Native AOT ASP.NET Core app.
// Usage: minimal-slim --urls http://127.0.0.1:PORT
WebApplication app = WebApplication.CreateSlimBuilder(args).Build();
app.MapGet("/", () => "ok");
await app.RunAsync();
