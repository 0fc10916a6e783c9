using System.Globalization;

namespace Agents.Runtime.Prompts;

/// <summary>System prompts: prompts/system/{name}.yaml, one template per language and the variables they take.</summary>
internal sealed partial class PromptLoader
{
    private Dictionary<string, SystemPromptTemplate> LoadSystemPrompts()
    {
        var prompts = new Dictionary<string, SystemPromptTemplate>(StringComparer.Ordinal);
        foreach (var (file, root) in ReadFolder("system"))
        {
            if (root is not null && ReadSystemPrompt(file, root) is { } prompt)
            {
                prompts[prompt.Name] = prompt;
            }
        }

        if (!prompts.ContainsKey(PromptSchema.DefaultSystemPrompt) && !File.Exists(Path.Combine(_root, "system", PromptSchema.DefaultSystemPrompt + ".yaml")))
        {
            Problem(Path.Combine(_root, "system", PromptSchema.DefaultSystemPrompt + ".yaml"), 0, "the default system prompt is missing");
        }

        return prompts;
    }

    private SystemPromptTemplate? ReadSystemPrompt(string file, YamlMap root)
    {
        CheckKeys(file, root, ["version", "name", "description", "input_variables", "execution_settings", "template"]);
        var version = ReadVersion(file, root);
        var name = Required<YamlText>(file, root, "name")?.Value ?? "";
        if (name.Length > 0 && name != Path.GetFileNameWithoutExtension(file))
        {
            Problem(file, root["name"]!.Line, $"name '{name}' must match the file name '{Path.GetFileName(file)}'");
        }

        var description = root["description"] is YamlText text ? text.Value.Trim() : "";
        var inputs = ReadInputs(file, root["input_variables"]);
        var settings = ReadSettings(file, root["execution_settings"]);
        var templates = new Dictionary<string, Template>(StringComparer.Ordinal);
        if (Required<YamlMap>(file, root, "template") is { } perLanguage)
        {
            foreach (var (language, value) in perLanguage.Entries)
            {
                if (!PromptSchema.Languages.Contains(language.Value))
                {
                    Problem(file, language.Line, $"unknown language '{language.Value}'");
                }
                else if (Compile(file, value) is { } template)
                {
                    templates[language.Value] = template;
                    foreach (var unknown in template.TopLevelNames.Where(n => inputs.All(i => i.Name != n)).Order(StringComparer.Ordinal))
                    {
                        Problem(file, value.Line, $"the {language.Value} template uses '{unknown}', which is not in input_variables");
                    }
                }
            }

            foreach (var missing in PromptSchema.Languages.Where(l => perLanguage[l] is null))
            {
                Problem(file, KeyLine(root, "template"), $"no template for language '{missing}'");
            }
        }

        return name.Length > 0 ? new SystemPromptTemplate(name, version, description, inputs, settings, templates) : null;
    }

    private List<PromptInput> ReadInputs(string file, YamlNode? node)
    {
        var inputs = new List<PromptInput>();
        if (node is null)
        {
            return inputs;
        }

        if (node is not YamlList list)
        {
            Problem(file, node.Line, "input_variables must be a list");
            return inputs;
        }

        foreach (var item in list.Items)
        {
            if (item is not YamlMap input || input["name"] is not YamlText { Value: var name } || !Identifier().IsMatch(name))
            {
                Problem(file, item.Line, "each input variable needs a name like merchantName");
                continue;
            }

            CheckKeys(file, input, ["name", "description", "required"]);
            if (inputs.Any(i => i.Name == name))
            {
                Problem(file, item.Line, $"input variable '{name}' is declared twice");
                continue;
            }

            var required = input["required"] switch
            {
                null => false,
                YamlText { Value: "true" } => true,
                YamlText { Value: "false" } => false,
                var other => Fail(other.Line, "required must be true or false"),
            };
            inputs.Add(new PromptInput(name, input["description"] is YamlText d ? d.Value.Trim() : "", required));
        }

        return inputs;

        bool Fail(int line, string message)
        {
            Problem(file, line, message);
            return false;
        }
    }

    private PromptExecutionSettings ReadSettings(string file, YamlNode? node)
    {
        if (node is null)
        {
            return new PromptExecutionSettings(null, null, null);
        }

        if (node is not YamlMap settings)
        {
            Problem(file, node.Line, "execution_settings must be a mapping");
            return new PromptExecutionSettings(null, null, null);
        }

        CheckKeys(file, settings, ["temperature", "top_p", "max_tokens"]);
        return new PromptExecutionSettings(Number("temperature", 0, 2), Number("top_p", 0, 1), (int?)Number("max_tokens", 1, 1_000_000));

        double? Number(string key, double min, double max)
        {
            if (settings[key] is not { } value)
            {
                return null;
            }

            if (value is YamlText text && double.TryParse(text.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                return number;
            }

            Problem(file, value.Line, $"{key} must be a number from {min} to {max}");
            return null;
        }
    }
}
