var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/health/ready", () => "Healthy");
app.MapGet("/health/live", () => "Healthy");
// The floor of a webhook acknowledgement: read the same form, answer empty TwiML.
app.MapPost("/twiml", async (HttpRequest request) =>
{
    await request.ReadFormAsync();
    return Results.Text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>", "text/xml; charset=utf-8");
});
await app.RunAsync();
