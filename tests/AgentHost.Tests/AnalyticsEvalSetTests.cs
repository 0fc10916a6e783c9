using System.Text.Json;

namespace Agents.AgentHost.Tests;

/// <summary>The shape of evals/analytics/questions.yaml and the judge of answers, checked without a host.</summary>
public sealed class AnalyticsEvalSetTests
{
    [Fact]
    public void QuestionsYaml_EveryEntry_IsWellFormed()
    {
        var questions = AnalyticsEvalSet.Load();

        var problems = AnalyticsEvalSet.Validate(questions);

        Assert.True(problems.Count == 0, "evals/analytics/questions.yaml:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void QuestionsYaml_OutOfLayerShare_IsAboutOneFifthInEveryLanguage()
    {
        foreach (var language in AnalyticsEvalSet.Languages)
        {
            var questions = AnalyticsEvalSet.Load().Where(q => q.Language == language).ToList();
            var refused = questions.Count(q => q.Refuse);

            Assert.True(refused >= 3 && refused <= questions.Count / 3, $"{language}: {refused} of {questions.Count} questions are out of the layer");
        }
    }

    [Theory]
    [InlineData("""{"value": 12345.67, "rows": [["2026-05", 12345.67], ["2026-04", 11410.00]]}""", true)]
    [InlineData("""{"value": 12345.675, "rows": [["2026-05", 12345.675], ["2026-04", 11409.995]]}""", true)]
    [InlineData("""{"value": 12345.67, "rows": [["2026-05", 12345.67], ["2026-04", 11410.50]]}""", false)]
    [InlineData("""{"value": 12345.67, "rows": [["2026-05", 12345.67]]}""", false)]
    [InlineData("""{"value": null, "rows": []}""", false)]
    [InlineData("""{"refused": true, "answer": "…"}""", false)]
    public void Judge_Comparison_ValueAndPreviousWithinACent(string answer, bool passes)
    {
        var question = Question(new AnalyticsExpectation { Value = "…", Previous = "…" });

        var outcome = AnalyticsEvalSet.Judge(question, new AnalyticsExpected(12345.67m, 11410.00m, null), null, JsonDocument.Parse(answer).RootElement);

        Assert.Equal(passes, outcome.Passed);
    }

    [Theory]
    [InlineData("""{"rows": [[2024, 10], [2025, 20.004], [2026, 0]]}""", true, true)]
    [InlineData("""{"rows": [["2024", 10], ["2025", 20], ["2026", 0]]}""", true, true)]
    [InlineData("""{"rows": [["2025", 20], ["2024", 10], ["2026", 0]]}""", true, false)]
    [InlineData("""{"rows": [["2025", 20], ["2024", 10], ["2026", 0]]}""", false, true)]
    [InlineData("""{"rows": [["2024", 10], ["2025", 20]]}""", false, false)]
    [InlineData("""{"rows": [["2024", 10], ["2025", 20], ["2026", null]]}""", false, false)]
    [InlineData("""{"rows": [["2024", 10], ["2025", 20], ["2027", 0]]}""", false, false)]
    public void Judge_Rows_SameKeysAndValuesInOrderWhenOrdered(string answer, bool ordered, bool passes)
    {
        var question = Question(new AnalyticsExpectation { Rows = "…", Ordered = ordered });
        var expected = new AnalyticsExpected(null, null, [("2024", 10m), ("2025", 20m), ("2026", 0m)]);

        var outcome = AnalyticsEvalSet.Judge(question, expected, null, JsonDocument.Parse(answer).RootElement);

        Assert.Equal(passes, outcome.Passed);
    }

    [Theory]
    [InlineData("""{"refused": true, "answer": "I can't answer that.", "suggestions": ["Revenue last month"]}""", true)]
    [InlineData("""{"refused": true, "value": null, "rows": []}""", true)]
    [InlineData("""{"refused": true, "value": 0}""", false)]
    [InlineData("""{"answer": "Profit was …", "value": 10}""", false)]
    public void Judge_OutOfLayer_RefusedWithoutAValue(string answer, bool passes)
    {
        var question = Question(new AnalyticsExpectation { Refuse = true });

        var outcome = AnalyticsEvalSet.Judge(question, AnalyticsExpected.Refused, null, JsonDocument.Parse(answer).RootElement);

        Assert.Equal(passes, outcome.Passed);
    }

    private static AnalyticsQuestion Question(AnalyticsExpectation expect) =>
        new() { Id = "en-test", Language = "en", Question = "test", Expect = expect };
}
