using System.ComponentModel;
using Agents.Data;
using Agents.Retrieval.Indexing;
using Agents.Retrieval.Search;

namespace Agents.Plugins.Faq;

public sealed record FaqAnswer(Guid DocumentId, string Title, string Snippet, string Type);

public sealed record FaqResult(string Question, bool Found, IReadOnlyList<FaqAnswer> Answers);

/// <summary>Answers about shipping, returns, payment and other policies, from the merchant's own FAQ and policy documents.</summary>
public sealed class FaqPlugin(HybridSearch search, TenantContext tenant)
{
    private const int MaxAnswers = 3;
    private static readonly string[] FaqTypes = [DocumentTypes.Faq, DocumentTypes.Policy];

    /// <summary>
    /// A passage counts as relevant when the question shares words with it (full text or title)
    /// or its embedding is close: cosine similarity ≥ 0.5, where unrelated shop texts score ~0.1–0.3.
    /// </summary>
    private const double MaxDistance = 0.5;

    [Tool("search_faq")]
    [Description("Looks up the shop's FAQ and policies (shipping, returns, payment, allergens, opening hours…) for passages that answer the shopper's question. Says found=false when nothing relevant exists: then do not answer from general knowledge.")]
    public async Task<FaqResult> SearchFaqAsync(
        [Description("The shopper's question, in their own words.")] string question,
        CancellationToken cancellationToken = default)
    {
        // Only FAQ and policy passages compete: product descriptions share words with most questions
        // ("una volta aperto…") and would push the policy that answers out of the top K.
        var found = await search.SearchAsync(tenant.MerchantId!.Value, new SearchQuery(question, K: 10, Types: FaqTypes), cancellationToken);
        var answers = found.Hits
            .Where(h => h.Ranks.Text is not null || h.Ranks.Title is not null || h.Ranks.Distance <= MaxDistance)
            .Take(MaxAnswers)
            .Select(h => new FaqAnswer(h.DocumentId, h.Title, h.Snippet, h.Type))
            .ToList();
        return new FaqResult(question, answers.Count > 0, answers);
    }
}
