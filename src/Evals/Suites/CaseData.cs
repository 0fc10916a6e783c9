using System.Text.Json;
using CsvHelper;

namespace Agents.Evals.Suites;

/// <summary>Rows of variables for data-driven cases: a CSV with a header row, or NDJSON with one object per line.</summary>
public static class CaseData
{
    public sealed record Row(long Line, IReadOnlyDictionary<string, string> Vars);

    public static (List<Row> Rows, List<(long Line, string Message)> Errors) Read(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ReadCsv(path),
            ".ndjson" or ".jsonl" => ReadNdjson(path),
            var other => ([], [(1, $"case data must be .csv or .ndjson/.jsonl, not '{other}'")]),
        };

    private static (List<Row>, List<(long, string)>) ReadCsv(string path)
    {
        var rows = new List<Row>();
        var errors = new List<(long, string)>();
        using var text = new StreamReader(path);
        using var csv = CsvReader.Create(text, new CsvReaderOptions
        {
            HasHeader = true,
            TrackLineNumbers = true,
            TrimWhitespace = true,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
        });
        try
        {
            var header = csv.Headers.ToArray();
            if (header.Length == 0)
            {
                return (rows, [(1, "the CSV has no header row")]);
            }

            while (csv.Read())
            {
                rows.Add(new Row(csv.LineNumber, header.Select((h, i) => (h, csv.GetString(i))).ToDictionary(p => p.h, p => p.Item2)));
            }
        }
        catch (CsvFormatException e)
        {
            errors.Add((csv.LineNumber, $"bad CSV row: {e.Message}"));
        }

        return (rows, errors);
    }

    private static (List<Row>, List<(long, string)>) ReadNdjson(string path)
    {
        var rows = new List<Row>();
        var errors = new List<(long, string)>();
        var line = 0L;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    errors.Add((line, "each line must be a JSON object of variables"));
                    continue;
                }

                rows.Add(new Row(line, document.RootElement.EnumerateObject().ToDictionary(p => p.Name,
                    p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText())));
            }
            catch (JsonException e)
            {
                errors.Add((line, $"not valid JSON: {e.Message}"));
            }
        }

        return (rows, errors);
    }
}
