using Agents.AgentHost;

var app = await AgentHostApp.BuildAsync(args);
await app.RunAsync();

public partial class Program;
