using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Agents.Runtime.Prompts;

/// <summary>A template syntax error, with the 1-based line inside the template.</summary>
public sealed class TemplateSyntaxException(string message, int line) : FormatException(message)
{
    public int Line { get; } = line;
}

/// <summary>
/// A compiled template in our small mustache subset: <c>{{name}}</c>, <c>{{a.b}}</c>, <c>{{.}}</c>,
/// sections <c>{{#x}}…{{/x}}</c> (once per array item, once for any other truthy value),
/// inverted sections <c>{{^x}}…{{/x}}</c>, comments <c>{{! … }}</c>, <c>{{@n}}</c> (the 1-based
/// position of the current item in the innermost list) and <c>{{list.0}}</c> (an item by 0-based index). Nothing is HTML-escaped. Rendering never
/// throws: a missing value renders empty. See prompts/README.md for the full rules.
/// </summary>
public sealed partial class Template
{
    private readonly IReadOnlyList<Node> _nodes;

    private Template(string source, IReadOnlyList<Node> nodes)
    {
        Source = source;
        _nodes = nodes;
    }

    public string Source { get; }

    /// <summary>The first segment of every name used outside any section (section names included): what the template needs from its caller.</summary>
    public IReadOnlySet<string> TopLevelNames =>
        _nodes.OfType<NamedNode>().Select(n => n.Path[0]).Where(n => n is not "." and not "@n").ToHashSet(StringComparer.Ordinal);

    /// <summary>Compiles <paramref name="source"/>; throws <see cref="TemplateSyntaxException"/> with the line of the first error.</summary>
    public static Template Parse(string source)
    {
        var root = new List<Node>();
        var open = new Stack<(Section Section, List<Node> Parent, int Line)>();
        var nodes = root;
        var textStart = 0;
        var position = 0;
        while (source.IndexOf("{{", position, StringComparison.Ordinal) is var start and >= 0)
        {
            var line = LineAt(source, start);
            var end = source.IndexOf("}}", start + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new TemplateSyntaxException("'{{' is never closed with '}}'", line);
            }

            var tag = source[(start + 2)..end].Trim();
            end += 2;
            var sigil = tag.Length > 0 && tag[0] is '#' or '^' or '/' or '!' ? tag[0] : '\0';
            var name = sigil == '\0' ? tag : tag[1..].Trim();
            if (sigil != '!' && !Name().IsMatch(name))
            {
                throw new TemplateSyntaxException($"'{{{{{tag}}}}}' is not a valid tag: use a name like customerName or product.price", line);
            }

            // A section or comment tag alone on its line takes the whole line with it, so list templates stay free of blank lines.
            var textEnd = start;
            if (sigil != '\0' && Standalone(source, start, end) is { } standalone)
            {
                textEnd = standalone.Start;
                end = standalone.End;
            }

            if (textEnd > textStart)
            {
                nodes.Add(new Text(source[textStart..textEnd]));
            }

            switch (sigil)
            {
                case '#' or '^':
                    var section = new Section(name.Split('.'), sigil == '^', []);
                    nodes.Add(section);
                    open.Push((section, nodes, line));
                    nodes = section.Children;
                    break;
                case '/':
                    if (open.Count == 0)
                    {
                        throw new TemplateSyntaxException($"'{{{{/{name}}}}}' closes a section that was never opened", line);
                    }

                    var (opened, parent, _) = open.Pop();
                    if (string.Join('.', opened.Path) != name)
                    {
                        throw new TemplateSyntaxException($"'{{{{/{name}}}}}' closes '{string.Join('.', opened.Path)}', which is still open", line);
                    }

                    nodes = parent;
                    break;
                case '!':
                    break;
                default:
                    nodes.Add(new Value(name == "." ? ["."] : name.Split('.')));
                    break;
            }

            textStart = position = end;
        }

        if (open.Count > 0)
        {
            var (section, _, line) = open.Peek();
            throw new TemplateSyntaxException($"section '{string.Join('.', section.Path)}' is never closed with '{{{{/{string.Join('.', section.Path)}}}}}'", line);
        }

        if (textStart < source.Length)
        {
            nodes.Add(new Text(source[textStart..]));
        }

        return new Template(source, root);
    }

    /// <summary>
    /// Renders with the given data scopes, outermost first: a name is looked up in the innermost
    /// scope that has it (a tool result over the turn's variables, say). Numbers are formatted with
    /// <paramref name="numbers"/>; ISO dates render as dd/MM/yyyy.
    /// </summary>
    public string Render(NumberFormatInfo numbers, params ReadOnlySpan<JsonElement> scopes)
    {
        var stack = new List<Frame>(scopes.Length + 4);
        foreach (var scope in scopes)
        {
            stack.Add(new Frame(scope, null));
        }

        var output = new StringBuilder(Source.Length * 2);
        Render(_nodes, stack, numbers, output);
        return output.ToString();
    }

    private static void Render(IReadOnlyList<Node> nodes, List<Frame> stack, NumberFormatInfo numbers, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case Text text:
                    output.Append(text.Content);
                    break;
                case Value value:
                    output.Append(Format(Resolve(value.Path, stack), numbers));
                    break;
                case Section section:
                    var found = Resolve(section.Path, stack);
                    if (section.Inverted)
                    {
                        if (!Truthy(found))
                        {
                            Render(section.Children, stack, numbers, output);
                        }
                    }
                    else if (found is { ValueKind: JsonValueKind.Array } list)
                    {
                        var index = 0;
                        foreach (var item in list.EnumerateArray())
                        {
                            stack.Add(new Frame(item, ++index));
                            Render(section.Children, stack, numbers, output);
                            stack.RemoveAt(stack.Count - 1);
                        }
                    }
                    else if (Truthy(found))
                    {
                        stack.Add(new Frame(found!.Value, null));
                        Render(section.Children, stack, numbers, output);
                        stack.RemoveAt(stack.Count - 1);
                    }

                    break;
            }
        }
    }

    private static JsonElement? Resolve(string[] path, List<Frame> stack)
    {
        if (path[0] == ".")
        {
            return stack.Count > 0 ? stack[^1].Value : null;
        }

        if (path[0] == "@n")
        {
            return stack.LastOrDefault(f => f.Position is not null) is { Position: { } n } ? JsonSerializer.SerializeToElement(n) : null;
        }

        for (var i = stack.Count - 1; i >= 0; i--)
        {
            if (stack[i].Value.ValueKind == JsonValueKind.Object && stack[i].Value.TryGetProperty(path[0], out var current))
            {
                foreach (var segment in path.Skip(1))
                {
                    if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, CultureInfo.InvariantCulture, out var index))
                    {
                        if (index >= current.GetArrayLength())
                        {
                            return null;
                        }

                        current = current[index];
                    }
                    else if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
                    {
                        return null;
                    }
                }

                return current;
            }
        }

        return null;
    }

    private static bool Truthy(JsonElement? value) => value?.ValueKind switch
    {
        null or JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.False => false,
        JsonValueKind.String => value.Value.GetString()!.Length > 0,
        JsonValueKind.Array => value.Value.GetArrayLength() > 0,
        JsonValueKind.Number => value.Value.GetDouble() != 0,
        _ => true,
    };

    private static string Format(JsonElement? value, NumberFormatInfo numbers) => value?.ValueKind switch
    {
        JsonValueKind.String => FormatText(value.Value.GetString()!),
        JsonValueKind.Number => FormatNumber(value.Value, numbers),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => string.Join(", ", value.Value.EnumerateArray()
            .Where(v => v.ValueKind is JsonValueKind.String or JsonValueKind.Number).Select(v => Format(v, numbers))),
        _ => "",
    };

    private static string FormatNumber(JsonElement number, NumberFormatInfo numbers)
    {
        if (!number.TryGetDecimal(out var value))
        {
            return number.GetDouble().ToString("0.##", numbers);
        }

        return value == decimal.Truncate(value) ? value.ToString("#,0", numbers) : value.ToString("#,0.00", numbers);
    }

    private static string FormatText(string text) =>
        IsoDate().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)
            : text;

    private static (int Start, int End)? Standalone(string source, int start, int end)
    {
        var lineStart = start == 0 ? 0 : source.LastIndexOf('\n', start - 1) + 1;
        var lineEnd = source.IndexOf('\n', end);
        var after = lineEnd < 0 ? source.Length : lineEnd + 1;
        var before = source.AsSpan(lineStart, start - lineStart);
        var rest = source.AsSpan(end, (lineEnd < 0 ? source.Length : lineEnd) - end);
        return before.IsWhiteSpace() && rest.IsWhiteSpace() ? (lineStart, after) : null;
    }

    private static int LineAt(string source, int index) => source.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex(@"^(\.|@n|[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|[0-9]+))*)$")]
    private static partial Regex Name();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")]
    private static partial Regex IsoDate();

    private abstract record Node;

    private sealed record Text(string Content) : Node;

    private abstract record NamedNode(string[] Path) : Node;

    private sealed record Value(string[] Path) : NamedNode(Path);

    private sealed record Section(string[] Path, bool Inverted, List<Node> Children) : NamedNode(Path);

    private readonly record struct Frame(JsonElement Value, int? Position);
}
