using Agents.AgentHost;
using Agents.Data;

var builder = WebApplication.CreateBuilder(args);
await builder.AddAgentsDataAsync();
builder.AddAgentHost();

var app = builder.Build();
app.UseAgentHost();
await app.RunAsync();

public partial class Program;
