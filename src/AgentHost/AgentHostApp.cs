using Agents.Data;
using Agents.Retrieval;

namespace Agents.AgentHost;

/// <summary>
/// Builds the host exactly as Program.cs runs it, so a tool can start the real thing in its own
/// process (the eval runner's in-process target) with a few settings of its own on top.
/// </summary>
public static class AgentHostApp
{
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = configure is null
            ? WebApplication.CreateBuilder(args)
            // Hosted by another program: appsettings.json, prompts/ and the pages come from beside the binaries.
            : WebApplication.CreateBuilder(new WebApplicationOptions
            {
                Args = args,
                ApplicationName = typeof(AgentHostApp).Assembly.GetName().Name,
                ContentRootPath = AppContext.BaseDirectory,
            });
        configure?.Invoke(builder);
        await builder.AddAgentsDataAsync();
        await builder.AddRetrievalAsync();
        builder.AddAgentHost();

        var app = builder.Build();
        app.UseAgentHost();
        return app;
    }
}
