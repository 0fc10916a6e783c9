var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/health/ready", () => "Healthy");
app.MapGet("/health/live", () => "Healthy");
await app.RunAsync();
