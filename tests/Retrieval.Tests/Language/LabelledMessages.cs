using System.Runtime.CompilerServices;

namespace Agents.Retrieval.Tests.Language;

public sealed record LabelledMessage(string Kind, string Language, string Text);

/// <summary>Reads labelled-messages.tsv (kind, language, text; '#' starts a comment).</summary>
internal static class LabelledMessages
{
    private const string FileName = "labelled-messages.tsv";

    public static IReadOnlyList<LabelledMessage> All { get; } = Load();

    public static IReadOnlyList<LabelledMessage> Short => All.Where(m => m.Kind == "short").ToList();

    public static IReadOnlyList<LabelledMessage> Paragraphs => All.Where(m => m.Kind == "paragraph").ToList();

    private static List<LabelledMessage> Load()
    {
        var messages = new List<LabelledMessage>();
        foreach (var line in File.ReadLines(Locate()))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != 3)
            {
                throw new InvalidDataException($"{FileName}: expected kind, language and text in '{line}'.");
            }

            messages.Add(new LabelledMessage(fields[0], fields[1], fields[2]));
        }

        return messages;
    }

    /// <summary>
    /// The output folder when the project copies the file there, otherwise beside this source
    /// file: the test project only copies TestData/, and tests run from the checkout they were
    /// built in.
    /// </summary>
    private static string Locate([CallerFilePath] string sourceFile = "")
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "Language", FileName),
            Path.Combine(Path.GetDirectoryName(sourceFile) ?? ".", FileName),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{FileName} not found in: {string.Join(", ", candidates)}");
    }
}
