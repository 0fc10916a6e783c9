using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Agents.Runtime.Prompts;

/// <summary>One example message for an intent, as written in prompts/intents/{language}.yaml.</summary>
public sealed record IntentExample(string Intent, string Text);

/// <summary>A variable a system prompt takes.</summary>
public sealed record PromptInput(string Name, string Description, bool Required);

/// <summary>Defaults a system prompt suggests for the model call; the merchant's own settings win.</summary>
public sealed record PromptExecutionSettings(double? Temperature, double? TopP, int? MaxTokens);

/// <summary>A system prompt for hosted models (prompts/system/{name}.yaml): one template per language.</summary>
public sealed record SystemPromptTemplate(string Name, string Version, string Description, IReadOnlyList<PromptInput> Inputs,
    PromptExecutionSettings Settings, IReadOnlyDictionary<string, Template> Templates);

/// <summary>
/// Everything in a prompts folder, loaded and validated once: intent examples and reply templates
/// per language for the local model, system prompts for hosted models. <see cref="Load"/> either
/// returns a library whose every template renders, or throws one <see cref="PromptValidationException"/>
/// listing every problem as file:line: message.
/// </summary>
public sealed partial class PromptLibrary
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly NumberFormatInfo Comma = NumberFormatInfo.ReadOnly(new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "." });
    private static readonly NumberFormatInfo Dot = NumberFormatInfo.ReadOnly(new() { NumberDecimalSeparator = ".", NumberGroupSeparator = "," });

    private readonly IReadOnlyDictionary<string, IReadOnlyList<IntentExample>> _examples;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, Template>> _replies;
    private readonly IReadOnlyDictionary<string, SystemPromptTemplate> _systemPrompts;

    internal PromptLibrary(IReadOnlyDictionary<string, IReadOnlyList<IntentExample>> examples,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, Template>> replies,
        IReadOnlyDictionary<string, SystemPromptTemplate> systemPrompts, string version)
    {
        _examples = examples;
        _replies = replies;
        _systemPrompts = systemPrompts;
        Version = version;
    }

    /// <summary>The active prompt versions, e.g. <c>shop-assistant@1;replies@1;intents@1</c>: stored on every assistant message.</summary>
    public string Version { get; }

    public IReadOnlyCollection<string> SystemPromptNames => [.. _systemPrompts.Keys];

    /// <summary>Loads and validates the prompts folder at <paramref name="directory"/>.</summary>
    public static PromptLibrary Load(string directory) => new PromptLoader(directory).Load();

    /// <summary>Formats numbers the way the language writes them (3,90 in Italian and Spanish, 3.90 in English).</summary>
    public static NumberFormatInfo Numbers(string language) => language is "it" or "es" ? Comma : Dot;

    public IReadOnlyList<IntentExample> IntentExamples(string language) => _examples[Known(language)];

    public Template Reply(string language, string key) =>
        _replies[Known(language)].TryGetValue(key, out var template) ? template : throw new ArgumentException($"There is no reply '{key}'.", nameof(key));

    /// <summary>
    /// Renders reply <paramref name="key"/> over <paramref name="scopes"/> (outermost first, see
    /// <see cref="Template.Render"/>), trimmed and with runs of blank lines collapsed.
    /// </summary>
    public string RenderReply(string language, string key, params ReadOnlySpan<JsonElement> scopes) =>
        Tidy(Reply(language, key).Render(Numbers(language), scopes));

    public SystemPromptTemplate SystemPromptTemplate(string name) =>
        _systemPrompts.TryGetValue(name, out var prompt) ? prompt : throw new ArgumentException($"There is no system prompt '{name}'.", nameof(name));

    /// <summary>
    /// Renders system prompt <paramref name="name"/> in <paramref name="language"/>. The values are
    /// serialised as JSON (camelCase properties), so lists of records work as sections; see the
    /// prompt's input_variables for the names it takes. Missing values render empty.
    /// </summary>
    public string SystemPrompt(string name, string language, IReadOnlyDictionary<string, object?> values) =>
        Tidy(SystemPromptTemplate(name).Templates[Known(language)].Render(Numbers(language), JsonSerializer.SerializeToElement(values, Json)));

    private static string Known(string language) =>
        PromptSchema.Languages.Contains(language) ? language : throw new ArgumentException($"Unknown language '{language}': use it, en or es.", nameof(language));

    private static string Tidy(string text) => BlankLines().Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal), "\n\n").Trim();

    [GeneratedRegex(@"\n[ \t]*\n(?:[ \t]*\n)+")]
    private static partial Regex BlankLines();
}
