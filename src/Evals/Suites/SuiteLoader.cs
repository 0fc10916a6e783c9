using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Agents.Evals.Assertions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Agents.Evals.Suites;

/// <summary>Every problem of a suite file at once, each as <c>file:line: message</c>.</summary>
public sealed class SuiteException(IReadOnlyList<string> errors)
    : Exception($"The suite is not valid:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Reads and validates an eval suite (see evals/README.md for the schema). Unknown keys, wrong
/// types and bad assertions are errors with their line; <c>vars</c> and <c>vars_from</c> (CSV or
/// NDJSON beside the suite) expand one case into one case per row, with <c>{{name}}</c> replaced.
/// </summary>
public static partial class SuiteLoader
{
    public static readonly string[] Providers = ["local", "openai", "bedrock"];
    private static readonly IReadOnlyList<string> Channels = AgentHost.Chat.ChatApi.Channels;
    private static readonly IReadOnlyList<string> Languages = AgentHost.Infrastructure.Validation.Languages;

    private static readonly string[] SuiteKeys = ["suite", "description", "threshold", "repeat", "target", "variants", "judge", "cases"];
    private static readonly string[] TargetKeys = ["type", "dataset", "url", "key"];
    private static readonly string[] VariantKeys = ["name", "provider", "model", "system_prompt", "temperature", "max_tokens", "prompts", "key"];
    private static readonly string[] HttpOnlyKeys = ["url", "key"];
    private static readonly string[] InProcessVariantKeys = ["provider", "model", "system_prompt", "temperature", "max_tokens", "prompts"];
    private static readonly string[] JudgeKeys = ["provider", "model"];
    private static readonly string[] CaseKeys = ["id", "description", "tags", "customer", "channel", "audience", "turns", "user", "assert", "vars", "vars_from", "known_issue"];
    private static readonly string[] CustomerKeys = ["name", "language", "phone", "email"];
    private static readonly string[] TurnKeys = ["user", "assert"];
    private static readonly string[] PageKeys = ["page", "fields"];

    /// <summary><c>{{run_id}}</c>: unique per run of a case (e.g. an e-mail a repeated registration may not reuse); filled by the runner.</summary>
    public const string RunIdPlaceholder = "run_id";

    public static Suite Load(string path) => Parse(File.ReadAllText(path), path);

    public static Suite Parse(string yaml, string path)
    {
        var reader = new Reader(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new SuiteException([$"{path}:{e.Start.Line}: {e.InnerException?.Message ?? e.Message}"]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new SuiteException([$"{path}:1: a suite is a mapping with 'suite', 'cases' and optionally 'target', 'variants', 'judge', 'threshold', 'repeat'"]);
        }

        var suite = reader.Suite(root);
        if (reader.Errors.Count > 0)
        {
            throw new SuiteException(reader.Errors);
        }

        return suite!;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex EnvironmentVariable();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex Identifier();

    private sealed class Reader(string path)
    {
        public List<string> Errors { get; } = [];
        private readonly string _directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";

        private void Error(YamlNode node, string message) => Errors.Add($"{path}:{node.Start.Line}: {message}");

        private void ErrorAt(string file, long line, string message) => Errors.Add($"{file}:{line}: {message}");

        public Suite? Suite(YamlMappingNode root)
        {
            var map = Map(root, SuiteKeys, "suite");
            var name = Text(root, map, "suite", required: true);
            if (name is not null && !Identifier().IsMatch(name))
            {
                Error(map["suite"], $"'suite' must be a simple name (letters, digits, '.', '-', '_'), got '{name}'");
            }

            var threshold = Number(map, "threshold", 1.0);
            if (threshold is < 0 or > 1)
            {
                Error(map["threshold"], $"'threshold' is a pass rate between 0 and 1, got {threshold.ToString(CultureInfo.InvariantCulture)}");
            }

            var repeat = Whole(map, "repeat", 1, 1, 100);
            var target = map.TryGetValue("target", out var targetNode) ? Target(targetNode) : new TargetSpec(TargetKind.InProcess, ["demo"], null, null);
            var variants = map.TryGetValue("variants", out var variantsNode) ? Variants(variantsNode, target) : [VariantSpec.Local];
            ModelSpec? judge = map.TryGetValue("judge", out var judgeNode) ? Judge(judgeNode) : null;
            var cases = map.TryGetValue("cases", out var casesNode) ? Cases(casesNode) : [];
            if (!map.ContainsKey("cases"))
            {
                Error(root, "'cases' is required: a list of cases");
            }

            return new Suite(name ?? "", Text(root, map, "description"), path, threshold, repeat, target ?? new TargetSpec(TargetKind.InProcess, [], null, null),
                variants, judge, cases);
        }

        private TargetSpec? Target(YamlNode node)
        {
            if (node is not YamlMappingNode mapping)
            {
                Error(node, "'target' is a mapping: { type: in-process, dataset: demo } or { type: http, url, key }");
                return null;
            }

            var map = Map(mapping, TargetKeys, "target");
            var type = Text(mapping, map, "type") ?? "in-process";
            if (type == "http")
            {
                var url = Expand(map, "url", required: true, mapping);
                if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _))
                {
                    Error(map["url"], $"'url' must be an absolute http(s) URL, got '{url}'");
                }

                if (map.TryGetValue("dataset", out var misplaced))
                {
                    Error(misplaced, "'dataset' is for the in-process target; a deployment has its own data");
                }

                return new TargetSpec(TargetKind.Http, [], url, Expand(map, "key", required: false, mapping));
            }

            if (type != "in-process")
            {
                Error(map.GetValueOrDefault("type", node), $"unknown target type '{type}': use 'in-process' or 'http'");
            }

            foreach (var key in HttpOnlyKeys.Where(map.ContainsKey))
            {
                Error(map[key], $"'{key}' is for the http target; the in-process target starts its own host");
            }

            var dataset = map.TryGetValue("dataset", out var datasetNode) ? Strings(datasetNode, "dataset") : ["demo"];
            for (var i = 0; i < dataset.Count; i++)
            {
                if (dataset[i] == "demo")
                {
                    if (i > 0)
                    {
                        Error(datasetNode!, "'demo' can only be the first dataset (the seeded shop the others are added to)");
                    }

                    continue;
                }

                var folder = Path.GetFullPath(Path.Combine(_directory, dataset[i]));
                if (!Directory.Exists(folder))
                {
                    Error(datasetNode!, $"dataset folder '{dataset[i]}' not found (looked in {folder})");
                }

                dataset[i] = folder;
            }

            return new TargetSpec(TargetKind.InProcess, dataset, null, null);
        }

        private List<VariantSpec> Variants(YamlNode node, TargetSpec? target)
        {
            var variants = new List<VariantSpec>();
            if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
            {
                Error(node, "'variants' is a non-empty list of { name, provider, model, … }");
                return variants;
            }

            foreach (var item in sequence)
            {
                if (item is not YamlMappingNode mapping)
                {
                    Error(item, "a variant is a mapping: { name, provider, model, system_prompt, temperature, max_tokens, prompts, key }");
                    continue;
                }

                var map = Map(mapping, VariantKeys, "variant");
                var name = Text(mapping, map, "name", required: true) ?? "";
                var provider = Text(mapping, map, "provider") ?? "local";
                if (!Providers.Contains(provider))
                {
                    Error(map["provider"], $"unknown provider '{provider}': use {string.Join(", ", Providers)}");
                }

                var model = Text(mapping, map, "model");
                if (provider != "local" && model is null)
                {
                    Error(mapping, $"variant '{name}': provider '{provider}' needs a 'model'");
                }

                var prompts = Text(mapping, map, "prompts");
                if (prompts is not null)
                {
                    prompts = Path.GetFullPath(Path.Combine(_directory, prompts));
                    if (!Directory.Exists(prompts))
                    {
                        Error(map["prompts"], $"prompts folder not found: {prompts}");
                    }
                }

                var key = Expand(map, "key", required: false, mapping);
                if (target?.Kind == TargetKind.Http)
                {
                    foreach (var setting in InProcessVariantKeys.Where(map.ContainsKey))
                    {
                        Error(map[setting], $"variant '{name}': '{setting}' applies to the in-process target; against a deployment, give each variant the 'key' of a merchant configured for it");
                    }
                }
                else if (key is not null)
                {
                    Error(map["key"], $"variant '{name}': 'key' is for the http target");
                }

                if (variants.Any(v => v.Name == name))
                {
                    Error(mapping, $"duplicate variant name '{name}'");
                }

                variants.Add(new VariantSpec(name, provider, model, Text(mapping, map, "system_prompt"),
                    map.ContainsKey("temperature") ? Number(map, "temperature", 0) : null,
                    map.ContainsKey("max_tokens") ? Whole(map, "max_tokens", 0, 1, 100_000) : null, prompts, key));
            }

            return variants;
        }

        private ModelSpec? Judge(YamlNode node)
        {
            if (node is not YamlMappingNode mapping)
            {
                Error(node, "'judge' is a mapping: { provider: openai|bedrock, model }");
                return null;
            }

            var map = Map(mapping, JudgeKeys, "judge");
            var provider = Text(mapping, map, "provider", required: true);
            if (provider is not null and not ("openai" or "bedrock"))
            {
                Error(map["provider"], $"the judge is a hosted model: provider 'openai' or 'bedrock', got '{provider}'");
            }

            var model = Text(mapping, map, "model", required: true);
            return provider is null || model is null ? null : new ModelSpec(provider, model);
        }

        private List<CaseSpec> Cases(YamlNode node)
        {
            var cases = new List<CaseSpec>();
            if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
            {
                Error(node, "'cases' is a non-empty list");
                return cases;
            }

            var seen = new Dictionary<string, long>();
            foreach (var item in sequence)
            {
                if (item is not YamlMappingNode mapping)
                {
                    Error(item, "a case is a mapping with 'id' and 'turns' (or 'user' and 'assert')");
                    continue;
                }

                foreach (var (vars, source) in Rows(mapping))
                {
                    if (Case(mapping, vars, source) is not { } spec)
                    {
                        continue;
                    }

                    if (seen.TryGetValue(spec.Id, out var first))
                    {
                        Error(mapping, $"duplicate case id '{spec.Id}' (first at line {first}){source}");
                        continue;
                    }

                    seen[spec.Id] = mapping.Start.Line;
                    cases.Add(spec);
                }
            }

            return cases;
        }

        /// <summary>The variable rows a case expands over: none (one case), its 'vars', or the rows of its 'vars_from' file.</summary>
        private List<(IReadOnlyDictionary<string, string> Vars, string Source)> Rows(YamlMappingNode mapping)
        {
            var map = mapping.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value ?? "", p => p.Value);
            var rows = new List<(IReadOnlyDictionary<string, string>, string)>();
            if (map.TryGetValue("vars", out var varsNode))
            {
                if (varsNode is not YamlSequenceNode list || list.Children.Count == 0 || list.Children.Any(c => c is not YamlMappingNode))
                {
                    Error(varsNode, "'vars' is a non-empty list of mappings, one per generated case");
                    return rows;
                }

                rows.AddRange(list.Children.Cast<YamlMappingNode>().Select(row => ((IReadOnlyDictionary<string, string>)row.Children
                    .ToDictionary(p => ((YamlScalarNode)p.Key).Value ?? "", p => (p.Value as YamlScalarNode)?.Value ?? ""), $" (vars at line {row.Start.Line})")));
            }

            if (map.TryGetValue("vars_from", out var fileNode))
            {
                var file = (fileNode as YamlScalarNode)?.Value ?? "";
                var full = Path.GetFullPath(Path.Combine(_directory, file));
                if (!File.Exists(full))
                {
                    Error(fileNode, $"'vars_from' file not found: {full}");
                    return rows;
                }

                var (fileRows, errors) = CaseData.Read(full);
                foreach (var (line, message) in errors)
                {
                    ErrorAt(full, line, message);
                }

                rows.AddRange(fileRows.Select(r => (r.Vars, $" ({Path.GetFileName(full)}:{r.Line})")));
                if (fileRows.Count == 0 && errors.Count == 0)
                {
                    Error(fileNode, $"'vars_from' file has no rows: {full}");
                }
            }

            if (rows.Count == 0 && !map.ContainsKey("vars") && !map.ContainsKey("vars_from"))
            {
                rows.Add((new Dictionary<string, string>(), ""));
            }

            return rows;
        }

        private CaseSpec? Case(YamlMappingNode mapping, IReadOnlyDictionary<string, string> vars, string source)
        {
            var errorsBefore = Errors.Count;
            var map = Map(mapping, CaseKeys, "case");
            string? Sub(string? text) => text is null ? null : Substitute(text, vars, mapping, source);

            var id = Sub(Text(mapping, map, "id", required: true));
            if (id is not null && !Identifier().IsMatch(id))
            {
                Error(map["id"], $"case id '{id}' must be letters, digits, '.', '-' or '_'{source}");
            }

            var tags = map.TryGetValue("tags", out var tagsNode) ? Strings(tagsNode, "tags").Select(t => Sub(t)!).ToList() : [];
            var customer = map.TryGetValue("customer", out var customerNode) ? Customer(customerNode, Sub) : new CustomerSpec(null, null, null, null);
            var channel = Sub(Text(mapping, map, "channel")) ?? "api";
            if (!Channels.Contains(channel))
            {
                Error(map["channel"], $"unknown channel '{channel}': use {string.Join(", ", Channels)}");
            }

            var audience = Sub(Text(mapping, map, "audience")) ?? "shopper";
            if (audience is not ("shopper" or "merchant"))
            {
                Error(map["audience"], $"unknown audience '{audience}': use shopper or merchant");
            }

            var steps = new List<StepSpec>();
            if (map.TryGetValue("turns", out var turnsNode))
            {
                if (map.ContainsKey("user") || map.ContainsKey("assert"))
                {
                    Error(mapping, "a case has either 'turns' or a single 'user' + 'assert', not both");
                }

                if (turnsNode is not YamlSequenceNode turns || turns.Children.Count == 0)
                {
                    Error(turnsNode, "'turns' is a non-empty list of { user, assert } or { page, fields }");
                }
                else
                {
                    steps.AddRange(turns.Children.Select(t => Step(t, vars, source)).OfType<StepSpec>());
                }
            }
            else if (map.ContainsKey("user"))
            {
                steps.Add(Turn(mapping, map, vars, source));
            }
            else
            {
                Error(mapping, $"case '{id}' has no 'turns' (or 'user')");
            }

            return Errors.Count > errorsBefore || id is null ? null
                : new CaseSpec(id, Sub(Text(mapping, map, "description")), tags, customer, channel, audience, steps, (int)mapping.Start.Line,
                    Sub(Text(mapping, map, "known_issue")) is { Length: > 0 } known ? known : null);
        }

        private CustomerSpec Customer(YamlNode node, Func<string?, string?> sub)
        {
            if (node is not YamlMappingNode mapping)
            {
                Error(node, "'customer' is a mapping: { name, language, phone, email }");
                return new CustomerSpec(null, null, null, null);
            }

            var map = Map(mapping, CustomerKeys, "customer");
            var language = sub(Text(mapping, map, "language"));
            if (language is not null && !Languages.Contains(language))
            {
                Error(map["language"], $"customer language '{language}' is not one of it, en, es");
            }

            return new CustomerSpec(sub(Text(mapping, map, "name")), language, sub(Text(mapping, map, "phone")), sub(Text(mapping, map, "email")));
        }

        private StepSpec? Step(YamlNode node, IReadOnlyDictionary<string, string> vars, string source)
        {
            if (node is not YamlMappingNode mapping)
            {
                Error(node, "a turn is a mapping: { user: message, assert: [...] } or { page: register, fields: {...} }");
                return null;
            }

            var keys = mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).ToHashSet();
            if (keys.Contains("page"))
            {
                var map = Map(mapping, PageKeys, "page step");
                var purpose = Text(mapping, map, "page", required: true) ?? "";
                var fields = new Dictionary<string, string>();
                if (map.TryGetValue("fields", out var fieldsNode))
                {
                    if (fieldsNode is YamlMappingNode f)
                    {
                        foreach (var (k, v) in f.Children)
                        {
                            fields[((YamlScalarNode)k).Value ?? ""] = Substitute((v as YamlScalarNode)?.Value ?? "", vars, v, source);
                        }
                    }
                    else
                    {
                        Error(fieldsNode, "'fields' is a mapping of form field names to values");
                    }
                }

                return new PageSpec(Substitute(purpose, vars, mapping, source), fields, (int)mapping.Start.Line);
            }

            return Turn(mapping, Map(mapping, TurnKeys, "turn"), vars, source);
        }

        private TurnSpec Turn(YamlMappingNode mapping, Dictionary<string, YamlNode> map, IReadOnlyDictionary<string, string> vars, string source)
        {
            var user = Substitute(Text(mapping, map, "user", required: true) ?? "", vars, map.GetValueOrDefault("user", mapping), source);
            var assertions = new List<AssertionSpec>();
            if (map.TryGetValue("assert", out var assertNode))
            {
                if (assertNode is not YamlSequenceNode list)
                {
                    Error(assertNode, "'assert' is a list of assertions, each a mapping with one key, e.g. - contains: pistachio");
                }
                else
                {
                    foreach (var item in list)
                    {
                        if (item is not YamlMappingNode one || one.Children.Count != 1)
                        {
                            Error(item, $"an assertion is a mapping with exactly one key (its kind), e.g. '- contains: pistachio'; known kinds: {string.Join(", ", AssertionFactory.Kinds)}");
                            continue;
                        }

                        var (keyNode, valueNode) = one.Children.First();
                        var kind = ((YamlScalarNode)keyNode).Value ?? "";
                        var value = SubstituteJson(YamlJson.ToJson(valueNode), vars, valueNode, source);
                        var spec = new AssertionSpec(kind, value, (int)item.Start.Line, $"{kind}: {value?.ToJsonString() ?? "null"}");
                        if (!AssertionFactory.TryCreate(spec, out _, out var error))
                        {
                            Error(item, error + source);
                            continue;
                        }

                        assertions.Add(spec);
                    }
                }
            }

            return new TurnSpec(user, assertions, (int)mapping.Start.Line);
        }

        private string Substitute(string text, IReadOnlyDictionary<string, string> vars, YamlNode node, string source) =>
            Placeholder().Replace(text, m =>
            {
                if (m.Groups[1].Value == RunIdPlaceholder)
                {
                    return m.Value; // filled per run by the runner
                }

                if (vars.TryGetValue(m.Groups[1].Value, out var value))
                {
                    return value;
                }

                Error(node, $"'{{{{{m.Groups[1].Value}}}}}' has no value: add it to the case's vars{source}");
                return m.Value;
            });

        private JsonNode? SubstituteJson(JsonNode? node, IReadOnlyDictionary<string, string> vars, YamlNode yaml, string source) => node switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(Substitute(text, vars, yaml, source)),
            JsonArray array => new JsonArray(array.Select(a => SubstituteJson(a?.DeepClone(), vars, yaml, source)).ToArray()),
            JsonObject obj => new JsonObject(obj.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, SubstituteJson(p.Value?.DeepClone(), vars, yaml, source)))),
            _ => node?.DeepClone(),
        };

        /// <summary>The mapping's entries by key; unknown keys are errors naming the known ones.</summary>
        private Dictionary<string, YamlNode> Map(YamlMappingNode mapping, string[] known, string what)
        {
            var map = new Dictionary<string, YamlNode>();
            foreach (var (keyNode, value) in mapping.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                if (!known.Contains(key))
                {
                    Error(keyNode, $"unknown key '{key}' in {what}; known: {string.Join(", ", known)}");
                    continue;
                }

                map[key] = value;
            }

            return map;
        }

        private string? Text(YamlNode owner, Dictionary<string, YamlNode> map, string key, bool required = false)
        {
            if (!map.TryGetValue(key, out var node))
            {
                if (required)
                {
                    Error(owner, $"'{key}' is required");
                }

                return null;
            }

            if (node is YamlScalarNode { Value: { Length: > 0 } value })
            {
                return value;
            }

            Error(node, $"'{key}' must be a non-empty text");
            return null;
        }

        private string? Expand(Dictionary<string, YamlNode> map, string key, bool required, YamlNode owner)
        {
            var text = Text(owner, map, key, required);
            return text is null ? null : EnvironmentVariable().Replace(text, m =>
            {
                var value = Environment.GetEnvironmentVariable(m.Groups[1].Value);
                if (string.IsNullOrEmpty(value))
                {
                    Error(map[key], $"'{key}' uses the environment variable {m.Groups[1].Value}, which is not set");
                }

                return value ?? "";
            });
        }

        private double Number(Dictionary<string, YamlNode> map, string key, double fallback)
        {
            if (!map.TryGetValue(key, out var node))
            {
                return fallback;
            }

            if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Error(node, $"'{key}' must be a number");
            return fallback;
        }

        private int Whole(Dictionary<string, YamlNode> map, string key, int fallback, int min, int max)
        {
            if (!map.TryGetValue(key, out var node))
            {
                return fallback;
            }

            if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            Error(node, $"'{key}' must be a whole number from {min} to {max}");
            return fallback;
        }

        private List<string> Strings(YamlNode node, string key)
        {
            switch (node)
            {
                case YamlScalarNode { Value: { Length: > 0 } one }:
                    return [one];
                case YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode { Value.Length: > 0 }):
                    return list.Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
                default:
                    Error(node, $"'{key}' is a text or a list of texts");
                    return [];
            }
        }
    }
}
