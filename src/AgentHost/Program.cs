using Agents.AgentHost;
using Agents.Data;
using Agents.Retrieval;

var builder = WebApplication.CreateBuilder(args);
await builder.AddAgentsDataAsync();
await builder.AddRetrievalAsync();
builder.AddAgentHost();

var app = builder.Build();
app.UseAgentHost();
await app.RunAsync();

public partial class Program;
