namespace Agents.Evals.Tests.EndToEnd;

/// <summary>
/// A/B of the local model and a hosted one (an OpenAI-compatible server on loopback), graded by a
/// judge: the first run asks the server, the second replays the disk cache and sends nothing, and
/// a judge that stops answering in the agreed format fails the rubric instead of passing it.
/// </summary>
public class HostedModelTests
{
    [Fact]
    public async Task Run_HostedVariantWithJudge_CachesResponsesAndFailsOnJudgeErrors()
    {
        await using var server = await OpenAiCompatibleServer.StartAsync();
        var folder = Directory.CreateTempSubdirectory("eval-hosted-").FullName;
        var dataset = Directory.CreateDirectory(Path.Combine(folder, "shop")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dataset, "documents.ndjson"),
            """{"type":"policy","sourceId":"shipping","language":"en","title":"Shipping","body":"Shipping within Italy costs 7.90 euros, free over 59 euros."}""" + "\n",
            TestContext.Current.CancellationToken);
        var suite = Path.Combine(folder, "ab.yaml");
        await File.WriteAllTextAsync(suite, """
            suite: ab
            threshold: 1.0
            target: { type: in-process, dataset: shop }
            variants:
              - name: local
              - name: gpt
                provider: openai
                model: gpt-4o-mini
                temperature: 0
            judge: { provider: openai, model: gpt-4o-judge }
            cases:
              - id: en-shipping
                customer: { language: en }
                user: "how much is shipping to Italy?"
                assert:
                  - rubric: "The reply states what shipping within Italy costs."
                  - language: en
                  - max_tokens: 5000
            """, TestContext.Current.CancellationToken);
        var settings = new Dictionary<string, string?>
        {
            ["Models:OpenAi:BaseUrl"] = server.BaseUrl,
            ["Models:OpenAi:ApiKey"] = "sk-local-0123456789",
            ["Models:OpenAi:MaxRetries"] = "0",
            ["Models:Prices:gpt-4o-mini:InputPerMillionUsd"] = "0.15",
            ["Models:Prices:gpt-4o-mini:OutputPerMillionUsd"] = "0.60",
        };
        var cache = Path.Combine(folder, "cache");

        var (code, first, console) = await EvalCli.RunAsync([suite], Path.Combine(folder, "1"), cache, settings: settings);

        Assert.True(code == 0, EvalCli.Failures(first[0].Run) + console);
        var gpt = first[0].Run.Variants.Single(v => v.Name == "gpt");
        Assert.Equal(OpenAiCompatibleServer.Reply, gpt.Cases[0].Runs[0].Steps[0].Observation!.Reply);
        Assert.True(gpt.CostUsd > 0, "the hosted turn has a cost");
        Assert.Equal(1, server.Turns);
        Assert.Equal(2, server.Judgements); // one rubric per variant

        var (again, second, _) = await EvalCli.RunAsync([suite], Path.Combine(folder, "2"), cache, settings: settings);

        Assert.Equal(0, again);
        Assert.Equal(1, server.Turns);
        Assert.Equal(2, server.Judgements);
        Assert.Equal(OpenAiCompatibleServer.Reply, second[0].Run.Variants.Single(v => v.Name == "gpt").Cases[0].Runs[0].Steps[0].Observation!.Reply);

        server.JudgeAnswer = "I would rather not grade this.";
        var (failed, third, _) = await EvalCli.RunAsync([suite], Path.Combine(folder, "3"), cache, noCache: true, settings: settings);

        Assert.Equal(1, failed);
        Assert.Equal(2, server.Turns);
        var rubric = third[0].Run.Variants.SelectMany(v => v.Cases).Select(c => c.Runs[0].Steps[0].Assertions.Single(a => a.Kind == "rubric")).ToList();
        Assert.All(rubric, r => Assert.Equal(Agents.Evals.Assertions.AssertionOutcome.Failed, r.Outcome));
        Assert.All(rubric, r => Assert.Contains("judge", r.Message, StringComparison.OrdinalIgnoreCase));
    }
}
