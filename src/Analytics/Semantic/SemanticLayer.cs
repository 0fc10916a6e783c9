namespace Agents.Analytics.Semantic;

/// <summary>
/// The offline semantic layer of decision 008: a merchant's question in Italian, English or
/// Spanish becomes parameterised SQL over the analytics.* views, or a refusal; the rows that SQL
/// returns become an answer sentence. Stateless and thread-safe; the lexicons are built once.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "An instance service the host registers and injects.")]
public sealed class SemanticLayer
{
    private const int MaxQuestionLength = 400;

    /// <summary>
    /// Plans a question. <paramref name="language"/> is "it", "en" or "es" (anything else reads as
    /// English); <paramref name="today"/> is the UTC date periods are resolved against.
    /// </summary>
    public SemanticPlan Plan(string question, string language, DateOnly today)
    {
        var lang = Phrasebook.Lang(language);
        if (string.IsNullOrWhiteSpace(question) || question.Length > MaxQuestionLength)
        {
            return Refuse(lang, "not_a_question");
        }

        var tokens = Tokenizer.Tokenize(question);
        if (LooksUnsafe(question, tokens))
        {
            return Refuse(lang, "unsafe");
        }

        var resolution = QuestionResolver.Resolve(QuestionScanner.Scan(tokens, today), today, lang);
        return resolution.Interpretation is { } interpretation
            ? SqlCompiler.Compile(interpretation, lang)
            : Refuse(lang, resolution.Reason!, resolution.Detail);
    }

    /// <summary>
    /// The answer for the rows a <see cref="CompiledQuery"/> returned: a sentence in the query's
    /// language with money in <paramref name="currency"/> (ISO code), the headline value and a chart.
    /// </summary>
    public RenderedAnswer Render(CompiledQuery query, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, string currency) =>
        AnswerRenderer.Render(query, columns, rows, currency);

    /// <summary>Example questions the layer answers, in the given language.</summary>
    public IReadOnlyList<string> Suggestions(string language) => Phrasebook.Suggestions(language);

    private static Refusal Refuse(string language, string reason, string? detail = null) =>
        new(language, reason, Phrasebook.Refusal(reason, detail, language), Phrasebook.Suggestions(language));

    private static bool LooksUnsafe(string question, List<Token> tokens)
    {
        foreach (var fragment in Lexicon.UnsafeFragments)
        {
            if (question.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var token in tokens)
        {
            var words = token.Kind == TokenKind.Quoted ? token.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [token.Text];
            if (words.Any(Lexicon.UnsafeWords.Contains))
            {
                return true;
            }
        }

        return false;
    }
}
