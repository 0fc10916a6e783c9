using System.Globalization;
using System.Text;
using System.Text.Json;
using Agents.AgentHost.Demo;
using Agents.Retrieval.Search;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Agents.AgentHost.Tests;

/// <summary>
/// The labelled query set (evals/retrieval/queries.jsonl) against the seeded demo shop, in each
/// retrieval mode. Writes a report (TestResults/retrieval-quality.md) and holds hybrid search to
/// the target: hit@5 ≥ 0.9 in every language.
/// </summary>
public sealed class RetrievalQualityTests(DemoFactory factory) : IClassFixture<DemoFactory>
{
    private sealed record Relevant(string Type, string? Sku, string? SourceId);

    private sealed record LabelledQuery(string Id, string Language, string Query, string Kind, List<Relevant> Relevant);

    public sealed record Metrics(string Language, string Mode, int Queries, double HitAt1, double HitAt5, double Mrr);

    [Fact]
    public async Task LabelledQueries_Hybrid_HitAt5AtLeast90PercentPerLanguage()
    {
        var queries = LoadQueries();
        var merchantId = await DemoMerchantIdAsync();
        var search = factory.Services.GetRequiredService<HybridSearch>();
        var metrics = new List<Metrics>();
        var misses = new StringBuilder();

        foreach (var mode in new[] { SearchMode.Vector, SearchMode.Text, SearchMode.Hybrid })
        {
            var ranks = new List<(LabelledQuery Query, int? Rank)>();
            foreach (var query in queries)
            {
                var hits = (await search.SearchAsync(merchantId, new SearchQuery(query.Query, K: 10, Mode: mode), TestContext.Current.CancellationToken)).Hits;
                var found = hits.Select((h, i) => query.Relevant.Any(r => r.Type == h.Type && (r.Sku ?? r.SourceId) == h.SourceId) ? i + 1 : (int?)null).FirstOrDefault(r => r is not null);
                ranks.Add((query, found));
                if (mode == SearchMode.Hybrid && found is null or > 5)
                {
                    var relevant = hits.FirstOrDefault(h => query.Relevant.Any(r => r.Type == h.Type && (r.Sku ?? r.SourceId) == h.SourceId));
                    var where = relevant is null ? "not in top 10" : $"#{found}: vector {relevant.Ranks.Vector?.ToString(CultureInfo.InvariantCulture) ?? "–"}, text {relevant.Ranks.Text?.ToString(CultureInfo.InvariantCulture) ?? "–"}, title {relevant.Ranks.Title?.ToString(CultureInfo.InvariantCulture) ?? "–"}";
                    misses.AppendLine(CultureInfo.InvariantCulture, $"| {query.Id} | {query.Kind} | {query.Query} | {string.Join(", ", hits.Take(3).Select(h => h.SourceId))} | {where} |");
                }
            }

            foreach (var group in ranks.GroupBy(r => r.Query.Language).OrderBy(g => g.Key))
            {
                metrics.Add(new Metrics(group.Key, mode.ToString().ToLowerInvariant(), group.Count(),
                    group.Average(r => r.Rank == 1 ? 1.0 : 0.0),
                    group.Average(r => r.Rank is <= 5 ? 1.0 : 0.0),
                    group.Average(r => r.Rank is { } k ? 1.0 / k : 0.0)));
            }
        }

        WriteReport(metrics, misses.ToString());
        Assert.All(metrics.Where(m => m.Mode == "hybrid"), m => Assert.True(m.HitAt5 >= 0.9, $"hybrid hit@5 for {m.Language} is {m.HitAt5:F2}"));
    }

    private static void WriteReport(List<Metrics> metrics, string misses)
    {
        var report = new StringBuilder("| language | mode | queries | hit@1 | hit@5 | MRR |\n|---|---|---:|---:|---:|---:|\n");
        foreach (var m in metrics.OrderBy(m => m.Language).ThenBy(m => m.Mode))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {m.Language} | {m.Mode} | {m.Queries} | {m.HitAt1:F2} | {m.HitAt5:F2} | {m.Mrr:F2} |");
        }

        report.Append("\nHybrid misses (not in the top 5):\n\n| id | kind | query | top 3 | relevant hit (rank in each mode) |\n|---|---|---|---|---|\n").Append(misses);
        var folder = Path.Combine(RepoRoot(), "TestResults");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "retrieval-quality.md"), report.ToString());
        TestContext.Current.SendDiagnosticMessage(report.ToString());
    }

    private async Task<Guid> DemoMerchantIdAsync()
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT id FROM merchants WHERE slug = @s", connection);
        command.Parameters.AddWithValue("s", DemoSeeder.Slug);
        return (Guid)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static List<LabelledQuery> LoadQueries() =>
        File.ReadLines(Path.Combine(RepoRoot(), "evals", "retrieval", "queries.jsonl"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonSerializer.Deserialize<LabelledQuery>(l, JsonSerializerOptions.Web)!)
            .ToList();

    private static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Agents.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Agents.sln not found above the test binaries.");
    }
}
