using System.Globalization;
using Agents.AgentHost.Auth;
using Agents.AgentHost.Infrastructure;
using Agents.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agents.AgentHost.Analytics;

public sealed record SeriesPointRequest(string? Date, double? Value);

public sealed record DetectRequest(IReadOnlyList<SeriesPointRequest>? Series, int? Period);

public sealed record RunInsightsRequest(IReadOnlyList<string>? Kinds, DateOnly? AsOf);

/// <summary>Anomalies, churn risk and RFM segments, computed nightly and on demand, kept per merchant (secret key).</summary>
public static class InsightsApi
{
    public const int MaxSeriesPoints = 20_000;

    public static IEndpointRouteBuilder MapInsightsApi(this IEndpointRouteBuilder app)
    {
        var insights = app.MapGroup("/api/insights").RequireAuthorization(AgentPolicies.SecretKey).WithTags("Insights");
        insights.MapGet("/anomalies", Anomalies)
            .WithSummary("Unusual days in revenue, orders or average order value, with expected vs actual, severity and what drove them.");
        insights.MapPost("/anomalies/detect", Detect).WithSummary("Run the anomaly detector on any daily series you send.");
        insights.MapGet("/churn", Churn).WithSummary("Customers most likely to stop buying, with the reasons and the model's held-out AUC.");
        insights.MapGet("/rfm", Rfm).WithSummary("RFM segments: sizes and averages, and the members of one segment (paged).");
        insights.MapPost("/run", Run).WithSummary("Recompute insights now (all kinds, or the ones named).");
        return app;
    }

    public static async Task<Results<Ok<AnomaliesResponse>, ValidationProblem>> Anomalies(string? metric, DateOnly? from, DateOnly? to, string? language,
        InsightsService insights, TenantContext tenant, CancellationToken cancellationToken)
    {
        var validation = new Validation().OneOf("metric", metric, InsightsService.Metrics, required: false)
            .OneOf("language", language, Validation.Languages, required: false);
        if (from is { } f && to is { } t && f > t)
        {
            validation.Add("from", "'from' must not be after 'to'.");
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        return TypedResults.Ok(await insights.AnomaliesAsync(tenant.MerchantId!.Value, metric, from, to, language, cancellationToken));
    }

    public static Results<Ok<DetectResponse>, ValidationProblem> Detect(DetectRequest request)
    {
        var validation = new Validation();
        var points = new List<(DateOnly, double)>();
        if (request.Series is not { Count: > 0 } series)
        {
            validation.Add("series", "'series' needs at least 14 points { \"date\": \"2026-01-31\", \"value\": 12.5 }.");
        }
        else if (series.Count > MaxSeriesPoints)
        {
            validation.Add("series", $"'series' is limited to {MaxSeriesPoints:N0} points; this one has {series.Count:N0}.");
        }
        else
        {
            var seen = new HashSet<DateOnly>();
            for (var i = 0; i < series.Count; i++)
            {
                if (!DateOnly.TryParseExact(series[i].Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    validation.Add($"series[{i}].date", $"'{series[i].Date}' is not a date like 2026-01-31.");
                }
                else if (!seen.Add(date))
                {
                    validation.Add($"series[{i}].date", $"{date:yyyy-MM-dd} appears more than once.");
                }
                else if (series[i].Value is not { } value || !double.IsFinite(value))
                {
                    validation.Add($"series[{i}].value", "'value' must be a finite number.");
                }
                else
                {
                    points.Add((date, value));
                }
            }
        }

        if (request.Period is { } period && (period < 2 || period > 366))
        {
            validation.Add("period", "'period' must be between 2 and 366 (7 for a weekly cycle in daily data).");
        }

        if (validation.IsValid)
        {
            try
            {
                return TypedResults.Ok(InsightsService.Detect(points, request.Period));
            }
            catch (ArgumentException e)
            {
                validation.Add("series", e.Message); // too short, or fewer than two cycles of the period
            }
        }

        return TypedResults.ValidationProblem(validation.Errors);
    }

    public static async Task<Results<Ok<ChurnResponse>, ValidationProblem>> Churn(int? top, string? language, InsightsService insights, TenantContext tenant,
        CancellationToken cancellationToken)
    {
        var validation = new Validation().Range("top", top, 1, 1000).OneOf("language", language, Validation.Languages, required: false);
        return validation.IsValid
            ? TypedResults.Ok(await insights.ChurnAsync(tenant.MerchantId!.Value, top ?? 20, language, cancellationToken))
            : TypedResults.ValidationProblem(validation.Errors);
    }

    public static async Task<Results<Ok<RfmResponse>, ValidationProblem>> Rfm(string? segment, int? limit, int? offset, InsightsService insights,
        TenantContext tenant, CancellationToken cancellationToken)
    {
        var validation = new Validation().Range("limit", limit, 1, Paging.MaxLimit).Range("offset", offset, 0, int.MaxValue);
        return validation.IsValid
            ? TypedResults.Ok(await insights.RfmAsync(tenant.MerchantId!.Value, segment, limit ?? Paging.DefaultLimit, offset ?? 0, cancellationToken))
            : TypedResults.ValidationProblem(validation.Errors);
    }

    public static async Task<Results<Ok<IReadOnlyList<InsightRunDto>>, ValidationProblem>> Run(RunInsightsRequest? request, InsightsService insights,
        TenantContext tenant, CancellationToken cancellationToken)
    {
        var kinds = request?.Kinds is { Count: > 0 } named ? named : InsightsService.Kinds;
        var validation = new Validation();
        foreach (var (kind, i) in kinds.Select((k, i) => (k, i)))
        {
            validation.OneOf($"kinds[{i}]", kind, InsightsService.Kinds);
        }

        return validation.IsValid
            ? TypedResults.Ok(await insights.RunAsync(tenant.MerchantId!.Value, kinds, "on_demand", request?.AsOf, cancellationToken))
            : TypedResults.ValidationProblem(validation.Errors);
    }
}
