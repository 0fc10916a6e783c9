using Agents.Data;
using Agents.Retrieval;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

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

    /// <summary>The host started on a free loopback port (tools and tests that talk to it over real HTTP), and its address.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartOnLoopbackAsync(Action<WebApplicationBuilder> configure, CancellationToken cancellationToken = default)
    {
        var app = await BuildAsync([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            configure(builder);
        });
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return (app, new Uri(addresses.First()));
    }
}
