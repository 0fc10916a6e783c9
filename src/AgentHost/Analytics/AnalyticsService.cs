using System.Globalization;
using Agents.Analytics;
using Agents.Analytics.Execution;
using Agents.Analytics.Guard;
using Agents.Analytics.Semantic;
using Agents.Data;
using Agents.Retrieval.Language;
using Microsoft.EntityFrameworkCore;

namespace Agents.AgentHost.Analytics;

/// <summary>
/// Answers a merchant's question: the semantic layer first (offline, exact definitions); when it
/// cannot express the question and the merchant has a hosted model, that model's SQL under the
/// database guardrails; otherwise a refusal with suggestions. Never a number that no query produced.
/// </summary>
public sealed class AnalyticsService(
    AgentsDbContext db,
    SemanticLayer semantic,
    AnalyticsQueryRunner runner,
    TextToSql textToSql,
    CatalogueTerms catalogue,
    LanguageDetector detector,
    TimeProvider clock,
    ILogger<AnalyticsService> logger) : IAnalyticsAsker
{
    /// <summary>Refusals a hosted model may still try: the question is about the shop's data, just outside the layer.</summary>
    private static readonly HashSet<string> OpenToTextToSql = new(StringComparer.Ordinal) { "unknown_metric", "unknown_dimension", "unknown_term", "unsupported" };

    public async Task<AnalyticsAnswer> AskAsync(Guid merchantId, string question, string? language, DateOnly? asOf, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.Id == merchantId, cancellationToken);
        language ??= Detect(question, merchant.DefaultLanguage);
        var today = asOf ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

        var plan = semantic.Plan(await catalogue.MarkAsync(merchantId, question, cancellationToken), language, today);
        if (plan is CompiledQuery query)
        {
            var result = await runner.RunAsync(merchantId, query.Sql, query.Arguments, cancellationToken);
            var rendered = semantic.Render(query, result.Columns, result.Rows, merchant.Currency);
            return new AnalyticsAnswer(rendered.Answer, rendered.Value, result.Columns, result.Rows, query.Sql, rendered.Chart,
                InterpretationDto.From(query.Interpretation), language, Truncated: result.Truncated ? true : null, QueryMs: Math.Round(result.Milliseconds, 1));
        }

        var refusal = (Refusal)plan;
        if (OpenToTextToSql.Contains(refusal.Reason) && textToSql.IsAvailable(merchant))
        {
            return await AskModelAsync(merchant, question, language, today, refusal, cancellationToken);
        }

        return Refuse(refusal, language);
    }

    private async Task<AnalyticsAnswer> AskModelAsync(Data.Entities.Merchant merchant, string question, string language, DateOnly today, Refusal refusal,
        CancellationToken cancellationToken)
    {
        string? sql;
        try
        {
            sql = await textToSql.GenerateAsync(merchant, question, today, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Text-to-SQL failed for merchant {MerchantId}", merchant.Id);
            return Refuse(refusal, language);
        }

        var verdict = SqlGuard.Check(sql);
        if (sql is null || !verdict.Allowed)
        {
            if (sql is not null)
            {
                logger.LogWarning("Rejected generated SQL for merchant {MerchantId}: {Problem}", merchant.Id, verdict.Problem);
            }

            return Refuse(refusal with { Reason = sql is null ? refusal.Reason : "unsafe_sql" }, language);
        }

        QueryResult result;
        try
        {
            result = await runner.RunAsync(merchant.Id, verdict.Sql, [], cancellationToken);
        }
        catch (AnalyticsQueryException e)
        {
            logger.LogWarning("Generated SQL for merchant {MerchantId} was stopped by the database ({Reason}): {Message}", merchant.Id, e.Reason, e.Message);
            return Refuse(refusal with { Reason = e.Reason == "invalid" ? refusal.Reason : "unsafe_sql" }, language);
        }

        decimal? value = result is { Rows.Count: 1, Columns.Count: 1 } && result.Rows[0][0] is { } single && IsNumber(single)
            ? Convert.ToDecimal(single, CultureInfo.InvariantCulture) : null;
        var answer = value is { } v
            ? AnalyticsTexts.Get(language, "model_value", Formats.Number(v, language, 2))
            : AnalyticsTexts.Get(language, "model_rows", Formats.Number(result.Rows.Count, language, 0));
        var interpretation = new InterpretationDto("custom", [], null, null, new Dictionary<string, string>(), null, "text_to_sql");
        return new AnalyticsAnswer(answer, value, result.Columns, result.Rows, verdict.Sql, null, interpretation, language,
            Truncated: result.Truncated ? true : null, QueryMs: Math.Round(result.Milliseconds, 1));
    }

    private static AnalyticsAnswer Refuse(Refusal refusal, string language) =>
        new(refusal.Message, null, [], [], null, null, null, language, Refused: true, Reason: refusal.Reason, Suggestions: refusal.Suggestions);

    private string Detect(string question, string fallback)
    {
        var guess = detector.Detect(question);
        return guess.Language is "it" or "en" or "es" && guess.Confidence >= 0.5 ? guess.Language : fallback;
    }

    private static bool IsNumber(object value) => value is decimal or long or int or double or float or short;
}

/// <summary>The few sentences of the analytics service itself (the semantic layer renders its own answers).</summary>
public static class AnalyticsTexts
{
    private static readonly Dictionary<string, Dictionary<string, string>> Texts = new()
    {
        ["en"] = new()
        {
            ["model_value"] = "The answer is {0}.",
            ["model_rows"] = "Here is what I found: {0} rows.",
        },
        ["it"] = new()
        {
            ["model_value"] = "La risposta è {0}.",
            ["model_rows"] = "Ecco cosa ho trovato: {0} righe.",
        },
        ["es"] = new()
        {
            ["model_value"] = "La respuesta es {0}.",
            ["model_rows"] = "Esto es lo que encontré: {0} filas.",
        },
    };

    /// <summary>The sentence for <paramref name="key"/>; numbers come in already written the language's way (<see cref="Formats"/>).</summary>
    public static string Get(string language, string key, string argument) =>
        string.Format(CultureInfo.InvariantCulture, (Texts.GetValueOrDefault(language) ?? Texts["en"])[key], argument);
}
