// PLACEHOLDER: the simulator helper writes the real server.
WebApplication app = WebApplication.CreateSlimBuilder(args).Build();
await app.RunAsync();
