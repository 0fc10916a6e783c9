using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Agents.Runtime.Prompts;

/// <summary>
/// Reads prompts/ and checks it against <see cref="PromptSchema"/>, collecting every problem
/// before failing: a prompt engineer fixes one list, not one error per run.
/// </summary>
internal sealed partial class PromptLoader(string directory)
{
    private const int MinExamples = 5;

    private readonly string _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
    private readonly List<PromptProblem> _problems = [];

    public PromptLibrary Load()
    {
        if (!Directory.Exists(_root))
        {
            throw new PromptValidationException([new PromptProblem(directory, 0, "the prompts folder does not exist")]);
        }

        var (examples, intentsVersion) = LoadPerLanguage("intents", ReadIntents);
        var (replies, repliesVersion) = LoadPerLanguage("replies", ReadReplies);
        var systemPrompts = LoadSystemPrompts();
        if (_problems.Count > 0)
        {
            throw new PromptValidationException(_problems);
        }

        var version = string.Join(';', [.. systemPrompts.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}@{p.Version}"),
            $"replies@{repliesVersion}", $"intents@{intentsVersion}"]);
        return new PromptLibrary(examples, replies, systemPrompts, version);
    }

    /// <summary>Reads folder/{language}.yaml for every language; the version is shared, or listed per language when they differ.</summary>
    private (Dictionary<string, T> Values, string Version) LoadPerLanguage<T>(string folder, Func<string, YamlMap, T> read)
    {
        var values = new Dictionary<string, T>(StringComparer.Ordinal);
        var versions = new List<(string Language, string Version)>();
        foreach (var (file, root) in ReadFolder(folder))
        {
            var language = Path.GetFileNameWithoutExtension(file);
            if (!PromptSchema.Languages.Contains(language))
            {
                Problem(file, 0, $"unknown language '{language}': the files are it.yaml, en.yaml and es.yaml");
                continue;
            }

            if (root is not null)
            {
                versions.Add((language, ReadVersion(file, root)));
                values[language] = read(file, root);
            }
        }

        foreach (var language in PromptSchema.Languages.Where(l => !File.Exists(Path.Combine(_root, folder, l + ".yaml"))))
        {
            Problem(Path.Combine(_root, folder, language + ".yaml"), 0, "the file is missing");
        }

        var version = versions.Select(v => v.Version).Distinct().Count() == 1
            ? versions[0].Version
            : string.Join(',', versions.OrderBy(v => PromptSchema.Languages.ToList().IndexOf(v.Language)).Select(v => $"{v.Language}:{v.Version}"));
        return (values, version);
    }

    private IReadOnlyList<IntentExample> ReadIntents(string file, YamlMap root)
    {
        CheckKeys(file, root, ["version", "intents"]);
        var examples = new List<IntentExample>();
        if (Required<YamlMap>(file, root, "intents") is not { } intents)
        {
            return examples;
        }

        var seen = new Dictionary<string, (string Intent, int Line)>(StringComparer.Ordinal);
        foreach (var (key, value) in intents.Entries)
        {
            if (!PromptSchema.Intents.Contains(key.Value))
            {
                Problem(file, key.Line, $"unknown intent '{key.Value}'");
                continue;
            }

            if (value is not YamlList list || list.Items.Count < MinExamples)
            {
                Problem(file, value.Line, $"intent '{key.Value}' needs a list of at least {MinExamples} examples");
                continue;
            }

            foreach (var item in list.Items)
            {
                if (item is not YamlText { Value: { Length: > 0 } text } || text.Trim().Length == 0)
                {
                    Problem(file, item.Line, "an example must be non-empty text");
                    continue;
                }

                var normalized = Spaces().Replace(text.Trim().ToLowerInvariant(), " ");
                if (seen.TryGetValue(normalized, out var first))
                {
                    Problem(file, item.Line, $"duplicate example '{text.Trim()}' (first at line {first.Line}, under '{first.Intent}')");
                    continue;
                }

                seen[normalized] = (key.Value, item.Line);
                examples.Add(new IntentExample(key.Value, text.Trim()));
            }
        }

        foreach (var missing in PromptSchema.Intents.Where(i => intents[i] is null))
        {
            Problem(file, KeyLine(root, "intents"), $"intent '{missing}' has no examples");
        }

        return examples;
    }

    private IReadOnlyDictionary<string, Template> ReadReplies(string file, YamlMap root)
    {
        CheckKeys(file, root, ["version", "replies"]);
        var templates = new Dictionary<string, Template>(StringComparer.Ordinal);
        if (Required<YamlMap>(file, root, "replies") is not { } replies)
        {
            return templates;
        }

        var known = PromptSchema.ReplyKeys.ToHashSet(StringComparer.Ordinal);
        var groups = known.Where(k => k.Contains('.', StringComparison.Ordinal)).Select(k => k[..k.LastIndexOf('.')]).ToHashSet(StringComparer.Ordinal);
        var present = new HashSet<string>(StringComparer.Ordinal);
        Flatten(replies, "");
        foreach (var missing in PromptSchema.ReplyKeys.Where(k => !present.Contains(k)))
        {
            Problem(file, KeyLine(root, "replies"), $"missing reply '{missing}'");
        }

        return templates;

        void Flatten(YamlMap map, string prefix)
        {
            foreach (var (key, value) in map.Entries)
            {
                var name = prefix + key.Value;
                if (value is YamlMap nested && groups.Contains(name))
                {
                    Flatten(nested, name + ".");
                }
                else if (!known.Contains(name))
                {
                    Problem(file, key.Line, $"unknown reply key '{name}'");
                }
                else
                {
                    present.Add(name);
                    if (Compile(file, value) is { } template)
                    {
                        templates[name] = template;
                    }
                }
            }
        }
    }

    private Template? Compile(string file, YamlNode node)
    {
        if (node is not YamlText text)
        {
            Problem(file, node.Line, "expected a template (text)");
            return null;
        }

        try
        {
            return Template.Parse(text.Value);
        }
        catch (TemplateSyntaxException exception)
        {
            // Folded (>) and quoted scalars may join lines, so their line numbers are approximate.
            Problem(file, text.ContentLine + exception.Line - 1, "template error: " + exception.Message);
            return null;
        }
    }

    private string ReadVersion(string file, YamlMap root)
    {
        switch (root["version"])
        {
            case null:
                Problem(file, 1, "missing 'version'");
                return "";
            case YamlText { Style: not (ScalarStyle.Literal or ScalarStyle.Folded) } text when Version().IsMatch(text.Value):
                return text.Value;
            case var other:
                Problem(file, other.Line, "'version' must be a number or a word like 1, 2 or 1.3");
                return "";
        }
    }

    private IEnumerable<(string File, YamlMap? Root)> ReadFolder(string folder)
    {
        var path = Path.Combine(_root, folder);
        if (!Directory.Exists(path))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(path, "*.yml").Order(StringComparer.Ordinal))
        {
            Problem(file, 0, "prompt files end in .yaml");
        }

        foreach (var file in Directory.EnumerateFiles(path, "*.yaml").Order(StringComparer.Ordinal))
        {
            var node = YamlTree.Read(File.ReadAllText(file), Display(file), _problems);
            if (node is not null and not YamlMap)
            {
                Problem(file, node.Line, "the file must be a mapping with 'version' at the top");
            }

            yield return (file, node as YamlMap);
        }
    }

    private T? Required<T>(string file, YamlMap map, string key) where T : YamlNode
    {
        switch (map[key])
        {
            case T value:
                return value;
            case null:
                Problem(file, map.Line, $"missing '{key}'");
                return null;
            case var other:
                Problem(file, other.Line, $"'{key}' must be {(typeof(T) == typeof(YamlMap) ? "a mapping" : typeof(T) == typeof(YamlList) ? "a list" : "text")}");
                return null;
        }
    }

    private static int KeyLine(YamlMap map, string key) => map.Entries.First(e => e.Key.Value == key).Key.Line;

    private void CheckKeys(string file, YamlMap map, string[] allowed)
    {
        foreach (var key in map.Entries.Select(e => e.Key).Where(k => !allowed.Contains(k.Value)))
        {
            Problem(file, key.Line, $"unknown key '{key.Value}' (expected {string.Join(", ", allowed)})");
        }
    }

    private void Problem(string file, int line, string message) => _problems.Add(new PromptProblem(Display(file), line, message));

    /// <summary>Files are named relative to the prompts folder's parent: prompts/intents/it.yaml.</summary>
    private string Display(string file) =>
        Path.IsPathRooted(file) ? Path.GetRelativePath(Path.GetDirectoryName(_root) ?? _root, file).Replace('\\', '/') : file;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^[0-9A-Za-z][0-9A-Za-z._-]*$")]
    private static partial Regex Version();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
