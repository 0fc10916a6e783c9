using System.Globalization;
using System.Text;
using Agents.AgentHost.Demo;
using Npgsql;

namespace Agents.AgentHost.Tests;

/// <summary>
/// The labelled analytics questions (evals/analytics/questions.yaml) asked of the seeded demo shop:
/// execution accuracy against results computed independently from the base tables. Writes
/// TestResults/analytics-eval.md.
/// </summary>
public sealed class AnalyticsEvalTests(DemoFactory factory) : IClassFixture<DemoFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExpectedSql_OnTheDemoShop_GivesAResultForEveryQuestion()
    {
        var problems = new List<string>();
        await using var connection = await ReadOnlyConnectionAsync();
        var merchantId = await DemoMerchantIdAsync(connection);

        foreach (var question in AnalyticsEvalSet.Load().Where(q => !q.Refuse))
        {
            try
            {
                var expected = await AnalyticsEvalSet.ExpectedAsync(connection, question, merchantId, Ct);
                // Only questions tagged "empty" may have nothing to show on the demo data.
                if (!question.Tags.Contains("empty") && (expected.Rows is { Count: 0 } || expected is { Rows: null, Value: null }))
                {
                    problems.Add($"{question.Id}: no result on the demo shop");
                }
            }
            catch (PostgresException e)
            {
                problems.Add($"{question.Id}: {e.MessageText}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task LabelledQuestions_Ask_AtLeast95PercentCorrectAndEveryOutOfLayerQuestionRefused()
    {
        var questions = AnalyticsEvalSet.Load();
        await using var connection = await ReadOnlyConnectionAsync();
        var merchantId = await DemoMerchantIdAsync(connection);
        var expected = new List<AnalyticsExpected>();
        foreach (var question in questions)
        {
            expected.Add(await AnalyticsEvalSet.ExpectedAsync(connection, question, merchantId, Ct));
        }

        var ordersBefore = await CountOrdersAsync(connection);
        var client = factory.ClientWithKey(DemoFactory.SecretKey);
        var outcomes = new List<AnalyticsOutcome>();
        for (var i = 0; i < questions.Count; i++)
        {
            outcomes.Add(await AnalyticsEvalSet.AskAsync(client, questions[i], expected[i], Ct));
        }

        WriteReport(outcomes);
        var inLayer = outcomes.Where(o => !o.Question.Refuse).ToList();
        var outOfLayer = outcomes.Where(o => o.Question.Refuse).ToList();
        Assert.Equal(ordersBefore, await CountOrdersAsync(connection));
        Assert.True(AnalyticsEvalSet.Ratio(inLayer) >= 0.95,
            $"execution accuracy {AnalyticsEvalSet.Ratio(inLayer):P1} on {inLayer.Count} in-layer questions, 95% needed (failures in the test output and TestResults/analytics-eval.md)");
        Assert.True(outOfLayer.All(o => o.Passed),
            $"not refused: {string.Join(", ", outOfLayer.Where(o => !o.Passed).Select(o => $"{o.Question.Id} ({o.Reason})"))}");
    }

    private static void WriteReport(List<AnalyticsOutcome> outcomes)
    {
        var failures = new StringBuilder("| id | question | expected | got | reason | interpretation |\n|---|---|---|---|---|---|\n");
        foreach (var o in outcomes.Where(o => !o.Passed))
        {
            failures.AppendLine(CultureInfo.InvariantCulture, $"| {o.Question.Id} | {o.Question.Question} | {o.Expected} | {o.Got} | {o.Reason} | {o.Interpretation} |");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(failures.ToString());
        var folder = Path.Combine(AnalyticsEvalSet.RepoRoot(), "TestResults");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "analytics-eval.md"), AnalyticsEvalSet.Report(outcomes));
    }

    /// <summary>The labelled SQL only reads: a session where every transaction is read-only enforces it.</summary>
    private async Task<NpgsqlConnection> ReadOnlyConnectionAsync()
    {
        var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", connection);
        await command.ExecuteNonQueryAsync(Ct);
        return connection;
    }

    private static async Task<Guid> DemoMerchantIdAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT id FROM merchants WHERE slug = @slug", connection);
        command.Parameters.AddWithValue("slug", DemoSeeder.Slug);
        return (Guid)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<long> CountOrdersAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orders", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
