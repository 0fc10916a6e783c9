using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Agents.Runtime.Prompts;

/// <summary>A YAML node that remembers the line it starts on, so every problem can name it.</summary>
internal abstract record YamlNode(int Line);

internal sealed record YamlText(string Value, int Line, ScalarStyle Style) : YamlNode(Line)
{
    /// <summary>The file line of the text's first line: block scalars (| and >) start below their indicator.</summary>
    public int ContentLine => Style is ScalarStyle.Literal or ScalarStyle.Folded ? Line + 1 : Line;
}

internal sealed record YamlList(IReadOnlyList<YamlNode> Items, int Line) : YamlNode(Line);

internal sealed record YamlMap(IReadOnlyList<KeyValuePair<YamlText, YamlNode>> Entries, int Line) : YamlNode(Line)
{
    public YamlNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key).Value;
}

/// <summary>
/// Reads a YAML file into <see cref="YamlNode"/>s with YamlDotNet's parser. Unlike YamlDotNet's
/// own representation model it keeps duplicate keys (reporting them) and reports syntax errors as
/// problems instead of throwing, so one load can list everything wrong at once.
/// </summary>
internal static class YamlTree
{
    public static YamlNode? Read(string text, string file, List<PromptProblem> problems)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                problems.Add(new PromptProblem(file, 1, "the file is empty"));
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, file, problems);
            parser.Consume<DocumentEnd>();
            if (!parser.TryConsume<StreamEnd>(out _))
            {
                problems.Add(new PromptProblem(file, Line(parser.Current?.Start), "only one YAML document per file"));
            }

            return root;
        }
        catch (YamlException exception)
        {
            problems.Add(new PromptProblem(file, Line(exception.Start), "invalid YAML: " + FirstLine(exception.Message)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser throws this, without a position, for some unterminated flow collections.
            problems.Add(new PromptProblem(file, Line(parser.Current?.End), "invalid YAML: check the brackets, quotes and indentation from this line on"));
            return null;
        }
    }

    private static YamlNode ReadNode(IParser parser, string file, List<PromptProblem> problems)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return new YamlText(scalar.Value, Line(scalar.Start), scalar.Style);
        }

        if (parser.TryConsume<SequenceStart>(out var sequence))
        {
            var items = new List<YamlNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, file, problems));
            }

            return new YamlList(items, Line(sequence.Start));
        }

        if (parser.TryConsume<MappingStart>(out var mapping))
        {
            var entries = new List<KeyValuePair<YamlText, YamlNode>>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(parser, file, problems);
                var value = ReadNode(parser, file, problems);
                if (keyNode is not YamlText key)
                {
                    problems.Add(new PromptProblem(file, keyNode.Line, "keys must be plain text"));
                    continue;
                }

                if (entries.FirstOrDefault(e => e.Key.Value == key.Value).Key is { } first)
                {
                    problems.Add(new PromptProblem(file, key.Line, $"duplicate key '{key.Value}' (first at line {first.Line})"));
                    continue;
                }

                entries.Add(new(key, value));
            }

            return new YamlMap(entries, Line(mapping.Start));
        }

        var other = parser.Consume<ParsingEvent>();
        throw new YamlException(other.Start, other.End, other is AnchorAlias ? "aliases (*name) are not supported" : $"unexpected {other.GetType().Name}");
    }

    private static int Line(Mark? mark) => (int)Math.Max(1, mark?.Line ?? 1);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
