using System.Security.Cryptography;
using Agents.Data;
using Agents.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Agents.Plugins.Links;

public sealed class SecureLinkOptions
{
    public const string Section = "Links";

    /// <summary>Scheme and host the links start with (e.g. https://shop-assistant.example.com); unset, the host's public address (<see cref="IPublicBaseUrl"/>).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>How long a link works (default 24 hours).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>A link as a tool returns it: the only place a URL for the shopper comes from.</summary>
/// <summary>The address shoppers reach this host at, resolved when a link is made (the host may not be listening yet at start-up).</summary>
public interface IPublicBaseUrl
{
    string Value { get; }
}

public sealed record LinkInfo(string Purpose, string Url, DateTimeOffset ExpiresAt);

public enum LinkState
{
    Valid,
    NotFound,
    Expired,
    Used,
}

public sealed record LinkLookup(LinkState State, SecureLink? Link);

/// <summary>
/// Creates and resolves secure links: 256 random bits in the URL, only their SHA-256 stored, bound
/// to merchant, customer, purpose and order; time-limited; register and pay links work once.
/// </summary>
public sealed class SecureLinks(AgentsDbContext db, TenantContext tenant, IOptions<SecureLinkOptions> options, IPublicBaseUrl baseUrl, TimeProvider clock)
{
    public const string PathPrefix = "/l/";

    public async Task<LinkInfo> CreateAsync(Guid customerId, string purpose, Guid? orderId, Guid? conversationId, string language, CancellationToken cancellationToken)
    {
        if (!LinkPurpose.All.Contains(purpose))
        {
            throw new ArgumentException($"Unknown link purpose '{purpose}'.", nameof(purpose));
        }

        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var link = new SecureLink
        {
            MerchantId = tenant.MerchantId!.Value,
            CustomerId = customerId,
            Purpose = purpose,
            OrderId = orderId,
            ConversationId = conversationId,
            TokenHash = Hash(token),
            Language = ShopperTexts.Language(language),
            CreatedAt = now,
            ExpiresAt = now + options.Value.Lifetime,
        };
        db.SecureLinks.Add(link);
        await db.SaveChangesAsync(cancellationToken);
        return new LinkInfo(purpose, $"{(options.Value.BaseUrl is { Length: > 0 } configured ? configured : baseUrl.Value).TrimEnd('/')}{PathPrefix}{token}", link.ExpiresAt);
    }

    /// <summary>
    /// The link a token opens, across merchants (the token is the credential): the scope's tenant is
    /// set to the link's merchant. A token that is malformed or unknown is NotFound.
    /// </summary>
    public async Task<LinkLookup> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length != 43 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return new LinkLookup(LinkState.NotFound, null);
        }

        // Looked up by the hash of the token: an attacker's timing learns about hashes, never about tokens.
        var hash = Hash(token);
        var link = await db.SecureLinks.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
        if (link is null)
        {
            return new LinkLookup(LinkState.NotFound, null);
        }

        tenant.Set(link.MerchantId);
        return new LinkLookup(
            link.UsedAt is not null ? LinkState.Used : link.ExpiresAt <= clock.GetUtcNow() ? LinkState.Expired : LinkState.Valid, link);
    }

    /// <summary>Marks a single-use link used, if it still was unused and unexpired; false when another request won.</summary>
    public async Task<bool> ClaimAsync(Guid linkId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.SecureLinks.Where(l => l.Id == linkId && l.UsedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), cancellationToken) == 1;
    }

    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
