using Agents.AgentHost.Auth;
using Agents.AgentHost.Infrastructure;
using Agents.Data;
using Agents.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Agents.AgentHost.Apis;

public sealed record CreateMerchantRequest(string? Name, string? Slug, string? DefaultLanguage);

public sealed record CreateMerchantResponse(Guid MerchantId, string SecretKey, string PublishableKey);

public sealed record UpdateMerchantStatusRequest(string? Status);

public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin/merchants")
            .RequireAuthorization(AgentPolicies.Admin)
            .WithTags("Admin");

        api.MapPost("/", CreateMerchant).WithSummary("Create a merchant; returns its first secret and publishable keys (shown once).");
        api.MapGet("/", ListMerchants).WithSummary("List merchants, oldest first, keyset-paged with ?after=<id>.");
        api.MapGet("/{id:guid}", GetMerchant);
        api.MapPut("/{id:guid}/status", UpdateStatus).WithSummary("Activate or suspend a merchant.");
        return app;
    }

    public static async Task<Results<Created<CreateMerchantResponse>, ValidationProblem>> CreateMerchant(
        CreateMerchantRequest request, MerchantProvisioning provisioning, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Required("name", request.Name)
            .Required("slug", request.Slug, maxLength: 63)
            .OneOf("defaultLanguage", request.DefaultLanguage, Validation.Languages);
        if (request.Slug is { Length: > 0 } slug && !Validation.IsSlug(slug))
        {
            validation.Add("slug", "'slug' must be 2–63 lowercase letters, digits or dashes, starting with a letter or digit.");
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        // New merchants start on trial with test-mode keys; live keys are issued from /api/keys.
        var merchant = new Merchant { Name = request.Name!.Trim(), Slug = request.Slug!, DefaultLanguage = request.DefaultLanguage! };
        var created = await provisioning.CreateAsync(merchant, ApiKeyFormat.Test, cancellationToken);
        return TypedResults.Created($"/api/admin/merchants/{merchant.Id}",
            new CreateMerchantResponse(merchant.Id, created.SecretKey, created.PublishableKey));
    }

    public static async Task<Ok<Page<MerchantDto>>> ListMerchants(AgentsDbContext db, int? limit, Guid? after, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Merchants.ToPageAsync(limit, after, MerchantDto.From, cancellationToken));

    public static async Task<Results<Ok<MerchantDto>, NotFound>> GetMerchant(Guid id, AgentsDbContext db, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        return merchant is null ? TypedResults.NotFound() : TypedResults.Ok(MerchantDto.From(merchant));
    }

    public static async Task<Results<Ok<MerchantDto>, NotFound, ValidationProblem>> UpdateStatus(
        Guid id, UpdateMerchantStatusRequest request, AgentsDbContext db, CancellationToken cancellationToken)
    {
        var validation = new Validation().OneOf("status", request.Status, [MerchantStatus.Active, MerchantStatus.Suspended]);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var merchant = await db.Merchants.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (merchant is null)
        {
            return TypedResults.NotFound();
        }

        merchant.Status = request.Status!;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(MerchantDto.From(merchant));
    }
}
