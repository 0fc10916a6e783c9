using Agents.AgentHost.Auth;
using Agents.AgentHost.Demo;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Agents.AgentHost;

/// <summary>Tells a newcomer where everything is once the host listens.</summary>
public sealed class StartupBanner(IServer server, IHostApplicationLifetime lifetime, IOptions<AdminOptions> admin,
    DemoKeys demo, ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
            var lines = new List<string>
            {
                $"Agents host listening on {url}",
                $"  OpenAPI:  {url}/openapi/v1.json",
                $"  Health:   {url}/health/ready",
            };
            lines.Add(string.IsNullOrEmpty(admin.Value.ApiKey)
                ? "  Admin API disabled: set Admin__ApiKey (at least 32 characters) to use /api/admin"
                : admin.Value.Generated
                    ? $"  Admin key (generated for this Development run; set Admin__ApiKey to fix one): {admin.Value.ApiKey}"
                    : "  Admin API: /api/admin/merchants with the key from Admin__ApiKey");
            if (demo.SecretKey is { } secret)
            {
                lines.Add($"  Demo merchant '{DemoSeeder.Slug}' secret key: {secret}");
                if (demo.PublishableKey is { } publishable)
                {
                    lines.Add($"  Demo merchant publishable key (widget): {publishable}");
                    lines.Add($"  Widget demo page: {url}/widget/demo");
                }

                lines.Add($"  Try: curl -H \"Authorization: Bearer {secret}\" {url}/api/merchant");
                lines.Add($"  Chat: curl -H \"Authorization: Bearer {secret}\" -H \"Content-Type: application/json\" -d '{{\"message\":\"Ciao! Avete la crema di pistacchio?\"}}' {url}/chat");
            }

            logger.LogInformation("{Banner}", string.Join(Environment.NewLine, lines));
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
