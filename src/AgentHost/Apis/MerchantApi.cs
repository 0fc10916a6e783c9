using Agents.AgentHost.Auth;
using Agents.AgentHost.Infrastructure;
using Agents.Data;
using Agents.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Agents.AgentHost.Apis;

public sealed record AiSettingsPatch(string? Provider, string? Model, double? Temperature, int? MaxTokens, double? TopP, string? SystemPrompt, int? MemoryWindow);

public sealed record LoyaltyPatch(decimal? PointsPerUnit, IReadOnlyList<Plugins.Loyalty.LoyaltyTier>? Tiers);

public sealed record UpdateMerchantRequest(string? Name, string? DefaultLanguage, IReadOnlyList<string>? AllowedOrigins, AiSettingsPatch? Ai,
    LoyaltyPatch? Loyalty = null, string? OrderPrefix = null, IReadOnlyList<string>? StaffPhones = null);

public sealed record CreateKeyRequest(string? Kind, string? Mode, string? Name);

public sealed record CreatedKeyResponse(Guid Id, string Key, string Kind, string Mode, string Prefix, string? Name);

/// <summary>The calling merchant's own profile, settings and keys (secret key required).</summary>
public static class MerchantApi
{
    public static IEndpointRouteBuilder MapMerchantApi(this IEndpointRouteBuilder app)
    {
        var merchant = app.MapGroup("/api/merchant").RequireAuthorization(AgentPolicies.SecretKey).WithTags("Merchant");
        merchant.MapGet("/", GetCurrent);
        merchant.MapPatch("/", Update).WithSummary("Change name, default language, allowed widget origins, AI settings, loyalty rule or order number prefix.");

        var keys = app.MapGroup("/api/keys").RequireAuthorization(AgentPolicies.SecretKey).WithTags("Keys");
        keys.MapGet("/", ListKeys);
        keys.MapPost("/", CreateKey).WithSummary("Issue a key; the response is the only time its value is shown.");
        keys.MapDelete("/{id:guid}", RevokeKey).WithSummary("Revoke a key at once; it answers 401 from then on.");
        return app;
    }

    public static async Task<Ok<MerchantDto>> GetCurrent(AgentsDbContext db, TenantContext tenant, CancellationToken cancellationToken) =>
        TypedResults.Ok(MerchantDto.From(await CurrentAsync(db, tenant, cancellationToken)));

    public static async Task<Results<Ok<MerchantDto>, ValidationProblem>> Update(
        UpdateMerchantRequest request, AgentsDbContext db, TenantContext tenant, CancellationToken cancellationToken)
    {
        var validation = new Validation().OneOf("defaultLanguage", request.DefaultLanguage, Validation.Languages, required: false);
        if (request.Name is not null)
        {
            validation.Required("name", request.Name);
        }

        foreach (var (origin, i) in (request.AllowedOrigins ?? []).Select((o, i) => (o, i)))
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/"
                || origin.EndsWith('/'))
            {
                validation.Add($"allowedOrigins[{i}]", $"'{origin}' is not an origin such as https://shop.example.com (scheme, host, optional port; no path).");
            }
        }

        if (request.Ai is { } ai)
        {
            validation.OneOf("ai.provider", ai.Provider, ["local", "openai", "bedrock"], required: false)
                .Range("ai.temperature", ai.Temperature, 0, 2)
                .Range("ai.topP", ai.TopP, 0.01, 1)
                .Range("ai.maxTokens", ai.MaxTokens, 1, 32000)
                .Range("ai.memoryWindow", ai.MemoryWindow, 1, 200);
        }

        if (request.Loyalty is { } loyalty)
        {
            validation.Range("loyalty.pointsPerUnit", (double?)loyalty.PointsPerUnit, 0, 1000);
            foreach (var (tier, i) in (loyalty.Tiers ?? []).Select((t, i) => (t, i)))
            {
                if (string.IsNullOrWhiteSpace(tier.Name) || tier.Name.Length > 40 || tier.MinPoints < 0)
                {
                    validation.Add($"loyalty.tiers[{i}]", "A tier needs a name (at most 40 characters) and minPoints ≥ 0.");
                }
            }

            if (loyalty.Tiers is { Count: > 0 } tiers && tiers.Min(t => t.MinPoints) != 0)
            {
                validation.Add("loyalty.tiers", "The lowest tier must start at minPoints 0, so every customer has a tier.");
            }
        }

        if (request.OrderPrefix is not null && !System.Text.RegularExpressions.Regex.IsMatch(request.OrderPrefix, "^[A-Z]{2,6}$"))
        {
            validation.Add("orderPrefix", "'orderPrefix' must be 2 to 6 capital letters, e.g. SDS.");
        }

        var staffPhones = new List<string>();
        foreach (var (phone, i) in (request.StaffPhones ?? []).Select((p, i) => (p, i)))
        {
            if (Validation.NormalizePhone(phone) is { } normalized)
            {
                staffPhones.Add(normalized);
            }
            else
            {
                validation.Add($"staffPhones[{i}]", $"'{phone}' is not a phone number in international format, e.g. +393331234567.");
            }
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var merchant = await CurrentAsync(db, tenant, cancellationToken);
        merchant.OrderPrefix = request.OrderPrefix ?? merchant.OrderPrefix;
        if (request.StaffPhones is not null)
        {
            merchant.StaffPhones = [.. staffPhones.Distinct()];
        }

        if (request.Loyalty is { } rule)
        {
            merchant.LoyaltyPointsPerUnit = rule.PointsPerUnit ?? merchant.LoyaltyPointsPerUnit;
            if (rule.Tiers is { Count: > 0 } tiers)
            {
                merchant.LoyaltyTiers = System.Text.Json.JsonSerializer.Serialize(tiers.OrderBy(t => t.MinPoints), System.Text.Json.JsonSerializerOptions.Web);
            }
        }

        merchant.Name = request.Name?.Trim() ?? merchant.Name;
        merchant.DefaultLanguage = request.DefaultLanguage ?? merchant.DefaultLanguage;
        merchant.AllowedOrigins = request.AllowedOrigins?.Distinct(StringComparer.OrdinalIgnoreCase).ToList() ?? merchant.AllowedOrigins;
        if (request.Ai is { } patch)
        {
            var s = merchant.Ai;
            merchant.Ai = new AiSettings
            {
                Provider = patch.Provider ?? s.Provider,
                Model = patch.Model ?? s.Model,
                Temperature = patch.Temperature ?? s.Temperature,
                MaxTokens = patch.MaxTokens ?? s.MaxTokens,
                TopP = patch.TopP ?? s.TopP,
                SystemPrompt = patch.SystemPrompt ?? s.SystemPrompt,
                MemoryWindow = patch.MemoryWindow ?? s.MemoryWindow,
            };
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(MerchantDto.From(merchant));
    }

    public static async Task<Ok<List<ApiKeyDto>>> ListKeys(AgentsDbContext db, CancellationToken cancellationToken)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(keys.ConvertAll(ApiKeyDto.From));
    }

    public static async Task<Results<Created<CreatedKeyResponse>, ValidationProblem>> CreateKey(
        CreateKeyRequest request, MerchantProvisioning provisioning, AgentsDbContext db, TenantContext tenant, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .OneOf("kind", request.Kind, [ApiKeyFormat.Secret, ApiKeyFormat.Publishable])
            .OneOf("mode", request.Mode, [ApiKeyFormat.Test, ApiKeyFormat.Live]);
        if (request.Name is { Length: > 100 })
        {
            validation.Add("name", "'name' must be at most 100 characters.");
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var key = provisioning.IssueKey(tenant.MerchantId!.Value, request.Kind!, request.Mode!, request.Name);
        await db.SaveChangesAsync(cancellationToken);
        var stored = db.ApiKeys.Local.Single(k => k.Prefix == key[..k.Prefix.Length]);
        return TypedResults.Created($"/api/keys/{stored.Id}",
            new CreatedKeyResponse(stored.Id, key, stored.Kind, stored.Mode, stored.Prefix, stored.Name));
    }

    public static async Task<Results<NoContent, NotFound>> RevokeKey(Guid id, AgentsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
        {
            return TypedResults.NotFound();
        }

        key.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Merchant> CurrentAsync(AgentsDbContext db, TenantContext tenant, CancellationToken cancellationToken) =>
        await db.Merchants.FirstOrDefaultAsync(m => m.Id == tenant.MerchantId, cancellationToken)
        ?? throw new NotFoundException("The merchant");
}
