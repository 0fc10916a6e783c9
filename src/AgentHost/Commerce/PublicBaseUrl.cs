using Agents.Plugins.Links;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Agents.AgentHost.Commerce;

/// <summary>
/// The address the world reaches this host at: Channels:PublicBaseUrl (behind a proxy, what
/// Twilio and shoppers see). Secure links, Twilio signature checks and status callbacks all start
/// from it; without it, a request's own host or the server's first address stands in.
/// </summary>
public sealed class PublicBaseUrl(IConfiguration configuration, IServer server) : IPublicBaseUrl
{
    /// <summary>The configured public base URL without a trailing slash, or null.</summary>
    public string? Configured => configuration["Channels:PublicBaseUrl"] is { Length: > 0 } configured ? configured.TrimEnd('/') : null;

    public string Value => Configured ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";

    /// <summary>The public base URL, else the one <paramref name="request"/> arrived at.</summary>
    public string For(HttpRequest request) => Configured ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
}
