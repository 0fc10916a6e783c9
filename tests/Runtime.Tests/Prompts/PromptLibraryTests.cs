using Agents.Runtime.Prompts;

namespace Agents.Runtime.Tests.Prompts;

public sealed class PromptLibraryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "prompts-tests-" + Guid.NewGuid().ToString("N"));
    private readonly string _prompts;

    public PromptLibraryTests()
    {
        // A copy of the real folder, so each test breaks exactly one thing.
        _prompts = Path.Combine(_root, "prompts");
        foreach (var file in Directory.EnumerateFiles(RepositoryPrompts.Folder, "*.yaml", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_prompts, Path.GetRelativePath(RepositoryPrompts.Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Load_RepositoryPrompts_LoadsCleanly()
    {
        var library = PromptLibrary.Load(RepositoryPrompts.Folder);

        Assert.Equal("shop-assistant@2;replies@2;intents@1", library.Version);
        Assert.Contains("shop-assistant", library.SystemPromptNames);
        foreach (var language in PromptSchema.Languages)
        {
            var examples = library.IntentExamples(language);
            Assert.All(PromptSchema.Intents, intent => Assert.True(examples.Count(e => e.Intent == intent) >= 25, $"{language}/{intent} has fewer than 25 examples"));
            Assert.All(PromptSchema.ReplyKeys, key => Assert.NotNull(library.Reply(language, key)));
        }
    }

    [Fact]
    public void Load_MissingVersion_NamesFileAndLine()
    {
        Edit("replies/en.yaml", text => text.Replace("version: 2\n", "", StringComparison.Ordinal));

        var problem = Assert.Single(Problems());

        Assert.Equal("prompts/replies/en.yaml:1: missing 'version'", problem);
    }

    [Fact]
    public void Load_InvalidVersion_NamesItsLine()
    {
        Edit("intents/es.yaml", text => text.Replace("version: 1", "version: [1]", StringComparison.Ordinal));

        Assert.Equal([$"prompts/intents/es.yaml:{LineOf("intents/es.yaml", "version: [1]")}: 'version' must be a number or a word like 1, 2 or 1.3"], Problems());
    }

    [Fact]
    public void Load_UnknownLanguageFile_IsReported()
    {
        File.Copy(Path.Combine(_prompts, "replies", "en.yaml"), Path.Combine(_prompts, "replies", "fr.yaml"));

        Assert.Equal(["prompts/replies/fr.yaml: unknown language 'fr': the files are it.yaml, en.yaml and es.yaml"], Problems());
    }

    [Fact]
    public void Load_UnknownReplyKeyAndIntent_NameTheirLines()
    {
        Edit("replies/it.yaml", text => text.Replace("  greeting: |", "  greting: |", StringComparison.Ordinal));
        Edit("intents/en.yaml", text => text.Replace("  thanks:", "  thank_you:", StringComparison.Ordinal));

        Assert.Equal(
        [
            $"prompts/intents/en.yaml:{LineOf("intents/en.yaml", "  thank_you:")}: unknown intent 'thank_you'",
            $"prompts/intents/en.yaml:{LineOf("intents/en.yaml", "intents:")}: intent 'thanks' has no examples",
            $"prompts/replies/it.yaml:{LineOf("replies/it.yaml", "  greting: |")}: unknown reply key 'greting'",
            $"prompts/replies/it.yaml:{LineOf("replies/it.yaml", "replies:")}: missing reply 'greeting'",
        ], Problems());
    }

    [Fact]
    public void Load_ReplyMissingInOneLanguage_IsReportedForThatLanguage()
    {
        Edit("replies/es.yaml", text => text.Replace("  clarify_choice: |\n    Para estar seguro: ¿quieres *{{first}}* o *{{second}}*?\n", "", StringComparison.Ordinal));

        Assert.Equal([$"prompts/replies/es.yaml:{LineOf("replies/es.yaml", "replies:")}: missing reply 'clarify_choice'"], Problems());
    }

    [Fact]
    public void Load_UnclosedSection_NamesTheTemplateLine()
    {
        // faq.found's {{#answers}} is on the template's 2nd line; dropping its {{/answers}} leaves it open.
        var line = LineOf("replies/en.yaml", "      {{#answers}}");
        Edit("replies/en.yaml", text => text.Replace("      {{/answers}}\n", "", StringComparison.Ordinal));

        Assert.Equal([$"prompts/replies/en.yaml:{line}: template error: section 'answers' is never closed with '{{{{/answers}}}}'"], Problems());
    }

    [Fact]
    public void Load_DuplicateExample_NamesBothLines()
    {
        var first = LineOf("intents/it.yaml", "    - ciao");
        Edit("intents/it.yaml", text => text.Replace("    - grazie mille\n", "    - grazie mille\n    - Ciao\n", StringComparison.Ordinal));
        var duplicate = LineOf("intents/it.yaml", "    - Ciao");

        Assert.Equal([$"prompts/intents/it.yaml:{duplicate}: duplicate example 'Ciao' (first at line {first}, under 'greeting')"], Problems());
    }

    [Fact]
    public void Load_DuplicateKey_NamesTheSecond()
    {
        Edit("system/shop-assistant.yaml", text => text.Replace("name: shop-assistant\n", "name: shop-assistant\nname: other\n", StringComparison.Ordinal));
        var first = LineOf("system/shop-assistant.yaml", "name: shop-assistant");

        Assert.Equal([$"prompts/system/shop-assistant.yaml:{first + 1}: duplicate key 'name' (first at line {first})"], Problems());
    }

    [Fact]
    public void Load_InvalidYaml_NamesTheLine()
    {
        File.WriteAllText(Path.Combine(_prompts, "intents", "en.yaml"), "version: 1\nintents:\n  greeting: [hi, hello\n  thanks: ok\n");

        var problem = Assert.Single(Problems());

        Assert.Matches(@"^prompts/intents/en\.yaml:[34]: invalid YAML: ", problem);
    }

    [Fact]
    public void Load_SystemPromptUsingUndeclaredVariable_IsReported()
    {
        Edit("system/shop-assistant.yaml", text => text.Replace("Today is {{today}}.", "Today is {{todayDate}}.", StringComparison.Ordinal));

        var problem = Assert.Single(Problems());

        Assert.EndsWith("the en template uses 'todayDate', which is not in input_variables", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralProblems_ListsThemAll()
    {
        Edit("replies/en.yaml", text => text.Replace("version: 2\n", "", StringComparison.Ordinal));
        Edit("intents/es.yaml", text => text.Replace("  goodbye:", "  farewell:", StringComparison.Ordinal));
        File.Delete(Path.Combine(_prompts, "replies", "it.yaml"));

        var exception = Assert.Throws<PromptValidationException>(() => PromptLibrary.Load(_prompts));

        Assert.Equal(4, exception.Problems.Count);
        Assert.Contains("prompts/replies/it.yaml: the file is missing", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemPrompt_WithValues_RendersPassagesAndRules()
    {
        var prompt = RepositoryPrompts.Library.SystemPrompt("shop-assistant", "it", new Dictionary<string, object?>
        {
            ["merchantName"] = "Sapori di Sicilia",
            ["today"] = "2026-11-22",
            ["rules"] = new[] { "Dai del tu al cliente." },
            ["passages"] = new[] { new { Title = "Spedizioni", Text = "Spediamo in tutta l'UE." }, new { Title = "Resi", Text = "Hai 14 giorni." } },
        });

        Assert.Contains("*Sapori di Sicilia*", prompt, StringComparison.Ordinal);
        Assert.Contains("Oggi è il 22/11/2026.", prompt, StringComparison.Ordinal);
        Assert.Contains("- Dai del tu al cliente.", prompt, StringComparison.Ordinal);
        Assert.Contains("[1] Spedizioni\nSpediamo in tutta l'UE.", prompt, StringComparison.Ordinal);
        Assert.Contains("[2] Resi\nHai 14 giorni.", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemPrompt_WithoutOptionalValues_RendersNoEmptySections()
    {
        var prompt = RepositoryPrompts.Library.SystemPrompt("shop-assistant", "en", new Dictionary<string, object?> { ["merchantName"] = "Shop", ["today"] = "2026-11-22" });

        Assert.DoesNotContain("Tone requested", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("Additional rules", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("customer's name is", prompt, StringComparison.Ordinal);
        Assert.EndsWith("Context passages:\n(none for this message)", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Reply_UnknownLanguage_Throws()
    {
        Assert.Throws<ArgumentException>(() => RepositoryPrompts.Library.Reply("fr", "greeting"));
    }

    private List<string> Problems() =>
        [.. Assert.Throws<PromptValidationException>(() => PromptLibrary.Load(_prompts)).Problems.Select(p => p.ToString())];

    private void Edit(string file, Func<string, string> change)
    {
        var path = Path.Combine(_prompts, file);
        var text = File.ReadAllText(path);
        var changed = change(text);
        Assert.NotEqual(text, changed);
        File.WriteAllText(path, changed);
    }

    private int LineOf(string file, string line) => Array.IndexOf(File.ReadAllLines(Path.Combine(_prompts, file)), line) + 1;
}
