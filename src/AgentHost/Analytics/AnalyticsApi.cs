using Agents.AgentHost.Auth;
using Agents.AgentHost.Infrastructure;
using Agents.Analytics;
using Agents.Analytics.Execution;
using Agents.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agents.AgentHost.Analytics;

/// <summary>A merchant's question; <c>asOf</c> pins "today" (UTC) for reproducible reports, default the host's date.</summary>
public sealed record AskRequest(string? Question, string? Language, DateOnly? AsOf);

/// <summary>Natural-language questions over the merchant's own sales data (secret key).</summary>
public static class AnalyticsApi
{
    public const int MaxQuestionLength = 500;

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var analytics = app.MapGroup("/api/analytics").RequireAuthorization(AgentPolicies.SecretKey).WithTags("Analytics");
        analytics.MapPost("/ask", Ask)
            .WithSummary("Ask a question about your sales in Italian, English or Spanish; get the number, the rows, the SQL and what was understood.");
        return app;
    }

    public static async Task<Results<Ok<AnalyticsAnswer>, ValidationProblem, ProblemHttpResult>> Ask(
        AskRequest request, IAnalyticsAsker asker, TenantContext tenant, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Required("question", request.Question, MaxQuestionLength)
            .OneOf("language", request.Language, Validation.Languages, required: false);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        try
        {
            return TypedResults.Ok(await asker.AskAsync(tenant.MerchantId!.Value, request.Question!.Trim(), request.Language, request.AsOf, cancellationToken));
        }
        catch (AnalyticsQueryException e) when (e.Reason == "timeout")
        {
            return TypedResults.Problem(title: "Query timed out", detail: e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
