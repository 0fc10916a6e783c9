using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Agents.Plugins;

/// <summary>
/// What shoppers read outside the chat replies, per language: the secure pages, order status
/// names, the consent text (versioned) and the messages the chat gets after a page is submitted.
/// Loaded from prompts/pages/{it,en,es}.yaml; every language must have every key of English.
/// </summary>
public sealed partial class ShopperTexts
{
    public static readonly IReadOnlyList<string> Languages = ["it", "en", "es"];

    private readonly Dictionary<string, Dictionary<string, string>> _texts;

    private ShopperTexts(Dictionary<string, Dictionary<string, string>> texts) => _texts = texts;

    /// <summary>Reads the three files; throws one <see cref="InvalidDataException"/> naming every missing or extra key.</summary>
    public static ShopperTexts Load(string promptsDirectory)
    {
        var texts = Languages.ToDictionary(l => l, l => Flatten(Path.Combine(promptsDirectory, "pages", l + ".yaml")));
        var problems = new List<string>();
        foreach (var language in Languages.Where(l => l != "en"))
        {
            problems.AddRange(texts["en"].Keys.Except(texts[language].Keys).Order(StringComparer.Ordinal).Select(k => $"prompts/pages/{language}.yaml: missing '{k}'"));
            problems.AddRange(texts[language].Keys.Except(texts["en"].Keys).Order(StringComparer.Ordinal).Select(k => $"prompts/pages/{language}.yaml: '{k}' is not in en.yaml"));
        }

        return problems.Count == 0 ? new ShopperTexts(texts) : throw new InvalidDataException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>The text for <paramref name="key"/> with <c>{name}</c> placeholders filled; English when the language is unknown.</summary>
    public string Get(string language, string key, params (string Name, object? Value)[] values)
    {
        var texts = _texts.GetValueOrDefault(language) ?? _texts["en"];
        var text = texts.GetValueOrDefault(key) ?? throw new KeyNotFoundException($"No shopper text '{key}'.");
        return values.Length == 0 ? text : Placeholder().Replace(text, m =>
            values.FirstOrDefault(v => v.Name == m.Groups[1].Value) is { Name: not null } found
                ? Convert.ToString(found.Value, CultureInfo.GetCultureInfo(language)) ?? ""
                : m.Value);
    }

    /// <summary>The customer-facing name of an order status ("in attesa di pagamento").</summary>
    public string Status(string language, string status) => Get(language, "status." + status);

    /// <summary>An allergen code of a product's attributes in the shopper's language; a code the texts do not know stays as it is.</summary>
    public string Allergen(string language, string code) =>
        (_texts.GetValueOrDefault(language) ?? _texts["en"]).GetValueOrDefault("allergens." + code.ToLowerInvariant()) ?? code;

    public static string Language(string? language) => language is "it" or "es" ? language : "en";

    private static Dictionary<string, string> Flatten(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk((YamlMappingNode)stream.Documents[0].RootNode, "");
        return result;

        void Walk(YamlMappingNode node, string prefix)
        {
            foreach (var (key, value) in node.Children)
            {
                var name = prefix + ((YamlScalarNode)key).Value;
                if (value is YamlMappingNode child)
                {
                    Walk(child, name + ".");
                }
                else
                {
                    result[name] = (((YamlScalarNode)value).Value ?? "").TrimEnd('\n');
                }
            }
        }
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
