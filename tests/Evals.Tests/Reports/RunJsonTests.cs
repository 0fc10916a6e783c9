using System.Text.Json;
using Agents.Evals.Assertions;
using Agents.Evals.Reports;

namespace Agents.Evals.Tests.Reports;

public sealed class RunJsonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evals-json-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task WriteRead_SampleRun_RoundTripsEveryField()
    {
        var path = Path.Combine(_dir, "out", "results.json");
        var run = SampleRuns.Current();

        await RunJson.WriteAsync(run, path, TestContext.Current.CancellationToken);
        var back = await RunJson.ReadAsync(path, TestContext.Current.CancellationToken);

        // Writing the read-back run again yields the same text: nothing was lost or invented.
        Assert.Equal(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken), JsonSerializer.Serialize(back, RunJson.Options));
        Assert.Equal(run.StartedAt, back.StartedAt);
        var gpt = back.Variants[0];
        Assert.Equal(("gpt", "gpt-4o-mini", 4, 8), (gpt.Name, gpt.Model, gpt.PassedRuns, gpt.Runs));
        Assert.Equal(run.Variants[0].CostUsd, gpt.CostUsd);
        Assert.Equal(run.Variants[0].TurnLatency, gpt.TurnLatency);
        Assert.True(gpt.Cases[2].Flaky);
        Assert.Equal("no register link to open", gpt.Cases[3].Runs[1].Error);
        Assert.Equal(AssertionOutcome.Skipped, gpt.Cases[0].Runs[0].Steps[0].Assertions[1].Outcome);
        Assert.Equal("Ciao!\nCome posso aiutarti?", gpt.Cases[0].Runs[0].Steps[0].Observation!.Reply);
        var call = gpt.Cases[2].Runs[0].Steps[0].Observation!.ToolCalls[0];
        Assert.Equal(20, call.Arguments.GetProperty("maxPrice").GetInt32());
        Assert.Equal("Scarpa è bella", call.Result[0].GetProperty("name").GetString());
        Assert.Equal(200, gpt.Cases[3].Runs[0].Steps[1].PageStatus);
    }

    [Fact]
    public void Serialize_SampleRun_CamelCaseStringEnumsAndComputedProperties()
    {
        var json = JsonSerializer.Serialize(SampleRuns.Current(), RunJson.Options);

        Assert.Contains("\"passRate\": 0.5", json, StringComparison.Ordinal);
        Assert.Contains("\"metThreshold\": false", json, StringComparison.Ordinal);
        Assert.Contains("\"outcome\": \"skipped\"", json, StringComparison.Ordinal);
        Assert.Contains("\"flaky\": true", json, StringComparison.Ordinal);
        Assert.Contains("Scarpa è bella", json, StringComparison.Ordinal);

        // A tool call that never returned is written as null, not an exception.
        Assert.Contains("\"result\": null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("totalTokens", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_MissingRequiredProperty_Throws()
    {
        var path = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(path, """{"suite":"s"}""", TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<JsonException>(() => RunJson.ReadAsync(path, TestContext.Current.CancellationToken));
    }
}
