using System.ComponentModel;
using Agents.Analytics;
using Agents.Data;

namespace Agents.Plugins.Analytics;

/// <summary>What the assistant gets back: the answer sentence and the facts behind it (rows cut to the first 20).</summary>
public sealed record AnalyticsToolResult(string Answer, decimal? Value, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows,
    string? Sql, bool Refused, IReadOnlyList<string>? Suggestions);

/// <summary>
/// Sales questions for the merchant's own staff. Offered only in staff conversations (a secret-key
/// caller asking as the merchant, or a staff phone number on WhatsApp), never to shoppers. The
/// merchant is the call scope's tenant: nothing in the question can point it at another shop.
/// </summary>
public sealed class AnalyticsPlugin(IAnalyticsAsker asker, TenantContext tenant, ToolContext context)
{
    public const string ToolName = "ask_analytics";
    private const int MaxRows = 20;

    [Tool(ToolName)]
    [Description("Answers a question about the shop's own sales data (revenue, orders, average order value, units, customers, refunds, " +
                 "loyalty points, conversations; by day/week/month/quarter/year, product, category, channel, country or segment; " +
                 "periods and comparisons). Pass the merchant's question as it was asked.")]
    public async Task<AnalyticsToolResult> AskAsync(
        [Description("The question, in the merchant's words and language.")] string question,
        CancellationToken cancellationToken = default)
    {
        var answer = await asker.AskAsync(tenant.MerchantId ?? throw new InvalidOperationException("Analytics needs a merchant."),
            question, context.Language, asOf: null, cancellationToken);
        return new AnalyticsToolResult(answer.Answer, answer.Value, answer.Columns, [.. answer.Rows.Take(MaxRows)], answer.Sql,
            answer.Refused == true, answer.Suggestions);
    }
}
