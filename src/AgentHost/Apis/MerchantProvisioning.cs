using Agents.AgentHost.Auth;
using Agents.Data;
using Agents.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Agents.AgentHost.Apis;

/// <summary>Creates merchants and issues their keys; shared by the admin API and the demo seeder.</summary>
public sealed class MerchantProvisioning(AgentsDbContext db)
{
    public sealed record Created(Merchant Merchant, string SecretKey, string PublishableKey);

    public async Task<Created> CreateAsync(Merchant merchant, string mode, CancellationToken cancellationToken)
    {
        if (await db.Merchants.AnyAsync(m => m.Slug == merchant.Slug, cancellationToken))
        {
            throw new Infrastructure.ConflictException($"The slug '{merchant.Slug}' is already taken.");
        }

        db.Merchants.Add(merchant);
        var secret = IssueKey(merchant.Id, ApiKeyFormat.Secret, mode, "default");
        var publishable = IssueKey(merchant.Id, ApiKeyFormat.Publishable, mode, "default");
        await db.SaveChangesAsync(cancellationToken);
        return new Created(merchant, secret, publishable);
    }

    /// <summary>Adds a key to the unit of work and returns its plain text: the only time it exists.</summary>
    public string IssueKey(Guid merchantId, string kind, string mode, string? name)
    {
        var key = ApiKeyFormat.Generate(kind, mode);
        db.ApiKeys.Add(new ApiKey { MerchantId = merchantId, Kind = kind, Mode = mode, Prefix = key.Prefix, Hash = key.Hash, Name = name });
        return key.Key;
    }
}
