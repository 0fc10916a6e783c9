using Agents.Plugins.Links;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Agents.AgentHost.Commerce;

/// <summary>
/// Where secure links point unless Links:BaseUrl says: Channels:PublicBaseUrl (the address the
/// world reaches this host at, also used for Twilio signatures), else the host's own first address.
/// </summary>
public sealed class PublicBaseUrl(IConfiguration configuration, IServer server) : IPublicBaseUrl
{
    public string Value => configuration["Channels:PublicBaseUrl"] is { Length: > 0 } configured ? configured
        : server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
}
