using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Agents.AgentHost.Tests;

/// <summary>One labelled question of evals/analytics/questions.yaml (see evals/analytics/README.md).</summary>
public sealed class AnalyticsQuestion
{
    public string? Id { get; set; }
    public string? Language { get; set; }
    public string? Question { get; set; }
    public List<string> Tags { get; set; } = [];
    public AnalyticsExpectation? Expect { get; set; }

    public bool Refuse => Expect?.Refuse == true;
}

public sealed class AnalyticsExpectation
{
    public string? Value { get; set; }
    public string? Previous { get; set; }
    public string? Rows { get; set; }
    public bool? Ordered { get; set; }
    public bool? Refuse { get; set; }
}

/// <summary>What the labelled SQL says the answer must hold.</summary>
public sealed record AnalyticsExpected(decimal? Value, decimal? Previous, IReadOnlyList<(string Key, decimal? Value)>? Rows)
{
    public static readonly AnalyticsExpected Refused = new(null, null, null);
}

public sealed record AnalyticsOutcome(AnalyticsQuestion Question, bool Passed, string Expected, string Got, string Interpretation, string Reason);

/// <summary>
/// Loads the labelled analytics questions, computes their expected results from the base tables
/// and judges the answers of <c>POST /api/analytics/ask</c> against them.
/// </summary>
public static class AnalyticsEvalSet
{
    public static readonly DateOnly AsOf = new(2026, 7, 1);
    public static readonly string[] Languages = ["it", "en", "es"];
    private const decimal AbsoluteTolerance = 0.01m;
    private const decimal RelativeTolerance = 0.000001m;

    public static string QuestionsPath => Path.Combine(RepoRoot(), "evals", "analytics", "questions.yaml");

    public static List<AnalyticsQuestion> Load(string? path = null)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        return deserializer.Deserialize<List<AnalyticsQuestion>>(File.ReadAllText(path ?? QuestionsPath)) ?? [];
    }

    /// <summary>Every problem of the set, each naming its entry; empty when the set is well formed.</summary>
    public static List<string> Validate(IReadOnlyList<AnalyticsQuestion> questions)
    {
        var problems = new List<string>();
        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            var name = $"entry #{i + 1} ({q.Id ?? q.Question ?? "no id"})";
            if (string.IsNullOrWhiteSpace(q.Id)) problems.Add($"{name}: no id");
            if (string.IsNullOrWhiteSpace(q.Question)) problems.Add($"{name}: no question");
            if (!Languages.Contains(q.Language)) problems.Add($"{name}: language '{q.Language}' is not one of {string.Join(", ", Languages)}");
            else if (q.Id is not null && !q.Id.StartsWith(q.Language + "-", StringComparison.Ordinal)) problems.Add($"{name}: the id should start with '{q.Language}-'");
            if (q.Expect is not { } e)
            {
                problems.Add($"{name}: no expect");
                continue;
            }

            var kinds = new[] { e.Value is not null, e.Rows is not null, e.Refuse == true }.Count(k => k);
            if (kinds != 1) problems.Add($"{name}: expect needs exactly one of value / rows / refuse: true (has {kinds})");
            if (e.Previous is not null && e.Value is null) problems.Add($"{name}: previous goes with value");
            if (e.Ordered is not null && e.Rows is null) problems.Add($"{name}: ordered goes with rows");
            foreach (var sql in new[] { e.Value, e.Previous, e.Rows }.OfType<string>())
            {
                // Every expected query must be scoped to the demo merchant, like the engine's.
                if (!sql.Contains("@merchant", StringComparison.Ordinal)) problems.Add($"{name}: SQL without @merchant: {sql.Trim().Split('\n')[0]}");
            }
        }

        foreach (var duplicate in questions.Where(q => q.Id is not null).GroupBy(q => q.Id).Where(g => g.Count() > 1))
        {
            problems.Add($"id '{duplicate.Key}' is used {duplicate.Count()} times");
        }

        foreach (var language in Languages)
        {
            var count = questions.Count(q => q.Language == language);
            if (count < 24) problems.Add($"{language}: {count} questions, at least 24 needed");
        }

        if (questions.Count < 60) problems.Add($"{questions.Count} questions in all, at least 60 needed");
        return problems;
    }

    /// <summary>The expected result, computed from the base tables in a read-only session.</summary>
    public static async Task<AnalyticsExpected> ExpectedAsync(NpgsqlConnection connection, AnalyticsQuestion question, Guid merchantId, CancellationToken ct)
    {
        var e = question.Expect!;
        if (question.Refuse)
        {
            return AnalyticsExpected.Refused;
        }

        if (e.Rows is not null)
        {
            await using var command = Command(connection, e.Rows, merchantId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<(string, decimal?)>();
            while (await reader.ReadAsync(ct))
            {
                rows.Add((Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "", ToDecimal(reader.GetValue(1))));
            }

            return new AnalyticsExpected(null, null, rows);
        }

        var value = await ScalarAsync(connection, e.Value!, merchantId, ct);
        var previous = e.Previous is null ? null : await ScalarAsync(connection, e.Previous, merchantId, ct);
        return new AnalyticsExpected(value, previous, null);
    }

    /// <summary>Asks the endpoint and judges the answer.</summary>
    public static async Task<AnalyticsOutcome> AskAsync(HttpClient client, AnalyticsQuestion question, AnalyticsExpected expected, CancellationToken ct)
    {
        var response = await client.PostAsJsonAsync("/api/analytics/ask",
            new { question = question.Question, language = question.Language, asOf = AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonElement? body = null;
        try
        {
            body = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
        }

        if (body is not { ValueKind: JsonValueKind.Object } answer)
        {
            return new(question, false, Describe(question, expected), $"HTTP {(int)response.StatusCode}: {Clip(text, 120)}", "", "no JSON answer");
        }

        return Judge(question, expected, response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}", answer);
    }

    public static AnalyticsOutcome Judge(AnalyticsQuestion question, AnalyticsExpected expected, string? httpProblem, JsonElement answer)
    {
        var refused = answer.TryGetProperty("refused", out var r) && r.ValueKind == JsonValueKind.True;
        var value = Property(answer, "value");
        var rows = Property(answer, "rows") is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToList() : [];
        var interpretation = Property(answer, "interpretation") is { } i ? Clip(i.GetRawText(), 300) : "";
        var got = httpProblem is not null ? $"{httpProblem}: {Clip(answer.GetRawText(), 120)}"
            : refused ? "refused"
            : value is { ValueKind: not JsonValueKind.Null } v ? $"value {v.GetRawText()}"
            : $"rows {FormatRows(rows)}";

        string? reason;
        if (question.Refuse)
        {
            reason = !refused ? httpProblem ?? "answered instead of refusing"
                : value is { ValueKind: not JsonValueKind.Null } ? "refused but gave a value"
                : rows.Count > 0 ? "refused but gave rows"
                : null;
        }
        else if (httpProblem is not null || refused)
        {
            reason = httpProblem ?? "refused an in-layer question";
        }
        else if (expected.Rows is { } expectedRows)
        {
            reason = CompareRows(expectedRows, rows, question.Expect!.Ordered == true);
        }
        else
        {
            var comparison = question.Expect?.Previous is not null;
            reason = CompareValue("value", expected.Value, value)
                ?? (comparison ? CompareValue("previous (rows[1][1])", expected.Previous, rows.Count > 1 ? Cell(rows[1], 1) : null) : null);
            if (comparison && rows.Count > 1)
            {
                got += $", previous {Cell(rows[1], 1)?.GetRawText() ?? "–"}";
            }
        }

        return new(question, reason is null, Describe(question, expected), got, interpretation, reason ?? "");
    }

    public static string Describe(AnalyticsQuestion question, AnalyticsExpected expected) =>
        question.Refuse ? "refused"
        : expected.Rows is { } rows ? $"rows {string.Join("; ", rows.Take(12).Select(r => $"{r.Key}={Format(r.Value)}"))}{(rows.Count > 12 ? $"; … ({rows.Count})" : "")}"
        : $"value {Format(expected.Value)}" + (question.Expect!.Previous is null ? "" : $", previous {Format(expected.Previous)}");

    /// <summary>Report: accuracy per language, then every question.</summary>
    public static string Report(IReadOnlyList<AnalyticsOutcome> outcomes)
    {
        var report = new StringBuilder("# Analytics eval\n\n")
            .AppendLine(CultureInfo.InvariantCulture, $"asOf {AsOf:yyyy-MM-dd}, {outcomes.Count} questions ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC).\n")
            .Append("| language | in layer | correct | execution accuracy | out of layer | refused |\n|---|---:|---:|---:|---:|---:|\n");
        var groups = outcomes.GroupBy(o => o.Question.Language ?? "?").OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Label: g.Key, Items: g.ToList())).Append((Label: "all", Items: outcomes.ToList()));
        foreach (var (label, items) in groups)
        {
            var inLayer = items.Where(o => !o.Question.Refuse).ToList();
            var outOfLayer = items.Where(o => o.Question.Refuse).ToList();
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {label} | {inLayer.Count} | {inLayer.Count(o => o.Passed)} | {Ratio(inLayer):P1} | {outOfLayer.Count} | {outOfLayer.Count(o => o.Passed)} |");
        }

        report.Append("\n| id | result | question | expected | got | interpretation |\n|---|---|---|---|---|---|\n");
        foreach (var o in outcomes)
        {
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {o.Question.Id} | {(o.Passed ? "ok" : "FAIL: " + Cell(o.Reason))} | {Cell(o.Question.Question)} | {Cell(o.Expected)} | {Cell(o.Got)} | {Cell(o.Interpretation)} |");
        }

        return report.ToString();

        static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
    }

    public static double Ratio(IReadOnlyCollection<AnalyticsOutcome> outcomes) =>
        outcomes.Count == 0 ? 1 : (double)outcomes.Count(o => o.Passed) / outcomes.Count;

    public static string RepoRoot()
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

    private static string? CompareRows(IReadOnlyList<(string Key, decimal? Value)> expected, List<JsonElement> rows, bool ordered)
    {
        var got = rows.Select(row => (Key: KeyText(Cell(row, 0)), Value: Cell(row, 1))).ToList();
        if (got.Count != expected.Count)
        {
            return $"{got.Count} rows, expected {expected.Count}";
        }

        if (!ordered)
        {
            // Compared as sets: both sides by key.
            expected = [.. expected.OrderBy(r => r.Key, StringComparer.Ordinal)];
            got = [.. got.OrderBy(r => r.Key, StringComparer.Ordinal)];
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (got[i].Key != expected[i].Key)
            {
                return ordered ? $"row {i + 1}: key '{got[i].Key}', expected '{expected[i].Key}'" : $"keys differ: '{got[i].Key}' where '{expected[i].Key}' was expected";
            }

            if (CompareValue($"row '{expected[i].Key}'", expected[i].Value, got[i].Value) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? CompareValue(string what, decimal? expected, JsonElement? got)
    {
        var actual = Number(got);
        if (expected is null)
        {
            return actual is null ? null : $"{what}: {Format(actual)}, expected none";
        }

        if (actual is not { } a)
        {
            return $"{what}: none, expected {Format(expected)}";
        }

        var difference = Math.Abs(a - expected.Value);
        return difference <= AbsoluteTolerance || difference <= RelativeTolerance * Math.Abs(expected.Value)
            ? null
            : $"{what}: {Format(a)}, expected {Format(expected)}";
    }

    private static decimal? Number(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.Number } n => n.TryGetDecimal(out var d) ? d : (decimal)n.GetDouble(),
        { ValueKind: JsonValueKind.String } s when decimal.TryParse(s.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static string KeyText(JsonElement? element) => element switch
    {
        null or { ValueKind: JsonValueKind.Null } => "",
        { ValueKind: JsonValueKind.String } s => s.GetString()!,
        { } other => other.GetRawText(),
    };

    private static JsonElement? Cell(JsonElement row, int index) =>
        row.ValueKind == JsonValueKind.Array && row.GetArrayLength() > index ? row[index] : null;

    private static JsonElement? Property(JsonElement answer, string name) =>
        answer.TryGetProperty(name, out var p) ? p : null;

    private static string FormatRows(List<JsonElement> rows) =>
        string.Join("; ", rows.Take(12).Select(r => $"{KeyText(Cell(r, 0))}={Cell(r, 1)?.GetRawText() ?? "–"}")) + (rows.Count > 12 ? $"; … ({rows.Count})" : "");

    private static string Format(decimal? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "null";

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, Guid merchantId)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("merchant", merchantId);
        command.Parameters.AddWithValue("today", AsOf);
        return command;
    }

    private static async Task<decimal?> ScalarAsync(NpgsqlConnection connection, string sql, Guid merchantId, CancellationToken ct)
    {
        await using var command = Command(connection, sql, merchantId);
        return ToDecimal(await command.ExecuteScalarAsync(ct));
    }

    private static decimal? ToDecimal(object? value) =>
        value is null or DBNull ? null : Convert.ToDecimal(value, CultureInfo.InvariantCulture);
}
