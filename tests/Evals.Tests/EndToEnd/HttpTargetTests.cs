using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Agents.Evals.Reports;

namespace Agents.Evals.Tests.EndToEnd;

/// <summary>A suite run against a running host over HTTP, as a prompt engineer tests a deployment.</summary>
public class HttpTargetTests(RunningHost host) : IClassFixture<RunningHost>
{
    [Fact]
    public async Task Run_DeploymentOverHttp_ReportsPassesFailuresAndRefusedKeys()
    {
        var folder = Directory.CreateTempSubdirectory("eval-http-").FullName;
        var suite = Path.Combine(folder, "deployment.yaml");
        await File.WriteAllTextAsync(suite, $$"""
            suite: deployment
            threshold: 1.0
            target: { type: http, url: "{{host.Address}}", key: {{RunningHost.SecretKey}} }
            variants:
              - name: deployed
              - name: revoked
                key: sk_test_thiskeydoesnotexist0123456789abcdefghijklmn
            cases:
              - id: en-discovery
                tags: [discovery]
                customer: { language: en }
                user: "do you have pistachio treats under 10 euros?"
                assert:
                  - tool_called: { name: search_products, args: { maxPrice: 10 } }
                  - citation: true
                  - language: en
              - id: en-impossible
                user: "hi there"
                assert:
                  - contains: "a sentence no assistant says"
            """, TestContext.Current.CancellationToken);

        var (code, outcomes, console) = await EvalCli.RunAsync([suite], Path.Combine(folder, "out"));

        Assert.True(code == 1, console);
        var run = Assert.Single(outcomes).Run;
        Assert.Equal(host.Address.ToString(), run.Target);
        var deployed = run.Variants.Single(v => v.Name == "deployed");
        Assert.True(deployed.Cases.Single(c => c.Id == "en-discovery").Passed, EvalCli.Failures(run));
        var impossible = deployed.Cases.Single(c => c.Id == "en-impossible");
        Assert.False(impossible.Passed);
        Assert.Contains("a sentence no assistant says", impossible.Runs[0].Steps[0].Assertions[0].Description, StringComparison.Ordinal);
        Assert.NotNull(deployed.PromptVersion);
        var revoked = run.Variants.Single(v => v.Name == "revoked");
        Assert.All(revoked.Cases, c => Assert.Contains("401", c.Runs[0].Error, StringComparison.Ordinal));

        // The turns really happened on the deployment: the session's history is there.
        using var client = new HttpClient { BaseAddress = host.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RunningHost.SecretKey);
        var history = await client.GetFromJsonAsync<JsonObject>($"/chat/sessions/{deployed.Cases[0].Runs[0].SessionId}/history", TestContext.Current.CancellationToken);
        Assert.Equal(2, history!["messages"]!.AsArray().Count);

        var junit = XDocument.Load(Path.Combine(folder, "out", "junit.xml"));
        Assert.Equal("4", junit.Root!.Attribute("tests")!.Value);
        Assert.Equal("1", junit.Root.Attribute("failures")!.Value);
        Assert.Equal("2", junit.Root.Attribute("errors")!.Value);
        var html = await File.ReadAllTextAsync(Path.Combine(folder, "out", "report.html"), TestContext.Current.CancellationToken);
        Assert.Contains("en-impossible", html, StringComparison.Ordinal);
        var reread = await RunJson.ReadAsync(Path.Combine(folder, "out", "results.json"), TestContext.Current.CancellationToken);
        Assert.Equal(run.Variants.Sum(v => v.Runs), reread.Variants.Sum(v => v.Runs));

        // The same run as the baseline of a later one: nothing regressed, so only the thresholds decide.
        var (again, second, _) = await EvalCli.RunAsync([suite], Path.Combine(folder, "again"), baseline: Path.Combine(folder, "out", "results.json"), tags: ["discovery"]);
        Assert.False(Assert.Single(second).Diff!.HasRegressions);
        Assert.Equal(1, again);

        // compare: the two runs side by side in one HTML file; no regression → exit 0.
        var compared = Path.Combine(folder, "compare.html");
        Assert.Equal(0, await Cli.CompareAsync(new FileInfo(Path.Combine(folder, "out", "results.json")), new FileInfo(Path.Combine(folder, "again", "results.json")),
            new FileInfo(compared), TestContext.Current.CancellationToken));
        Assert.Contains("en-discovery", await File.ReadAllTextAsync(compared, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
