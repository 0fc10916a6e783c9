using Agents.AgentHost.Auth;
using Agents.AgentHost.Infrastructure;
using Agents.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Agents.AgentHost.Apis;

public static class ConversationsApi
{
    public static IEndpointRouteBuilder MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/conversations").RequireAuthorization(AgentPolicies.SecretKey).WithTags("Conversations");
        api.MapGet("/", ListConversations).WithSummary("Most recent first, keyset-paged with ?after=<id>; filter with ?customerId=.");
        api.MapGet("/{id:guid}", GetConversation).WithSummary("One conversation with its messages in order.");
        return app;
    }

    public static async Task<Ok<Page<ConversationDto>>> ListConversations(
        AgentsDbContext db, int? limit, Guid? after, Guid? customerId, CancellationToken cancellationToken)
    {
        var query = customerId is { } customer ? db.Conversations.Where(c => c.CustomerId == customer) : db.Conversations;
        return TypedResults.Ok(await query.ToPageAsync(limit, after,
            c => new ConversationDto(c.Id, c.CustomerId, c.Channel, c.Language, c.CreatedAt, c.LastMessageAt, null), cancellationToken, newestFirst: true));
    }

    public static async Task<Results<Ok<ConversationDto>, NotFound>> GetConversation(Guid id, AgentsDbContext db, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == id)
            .Select(c => new ConversationDto(c.Id, c.CustomerId, c.Channel, c.Language, c.CreatedAt, c.LastMessageAt,
                c.Messages.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Select(m => new MessageDto(m.Id, m.Role, m.Content, m.CreatedAt)).ToList()))
            .FirstOrDefaultAsync(cancellationToken);
        return conversation is null ? TypedResults.NotFound() : TypedResults.Ok(conversation);
    }
}
