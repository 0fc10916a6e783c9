namespace Agents.Evals.Tests.EndToEnd;

/// <summary>
/// The CI gate of the eval suites: shopper and safety run on the local model through the same code
/// as `dotnet run --project src/Evals -- run …` (in-process host, own database, real HTTP). The local
/// model is deterministic, so the threshold is 1.0 and any failing case is a regression.
/// </summary>
public class ShippedSuitesTests
{
    [Theory]
    [InlineData("shopper")]
    [InlineData("safety")]
    public async Task Run_ShippedSuiteOnLocalModel_EveryCountedCasePasses(string suite)
    {
        var output = Path.Combine(EvalCli.RepoRoot, "TestResults", "evals", suite);
        var (code, outcomes, console) = await EvalCli.RunAsync([Path.Combine(EvalCli.RepoRoot, "evals", suite + ".yaml")], output);

        var run = Assert.Single(outcomes).Run;
        Assert.True(code == 0, $"{suite} missed its threshold:{Environment.NewLine}{EvalCli.Failures(run)}{Environment.NewLine}{console}");
        var local = Assert.Single(run.Variants);
        Assert.True(local.Runs >= 20, $"{suite} ran only {local.Runs} cases");
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        Assert.True(File.Exists(Path.Combine(output, "junit.xml")));
    }

    [Fact]
    public void Validate_EveryShippedSuite_IsValid()
    {
        var suites = Directory.GetFiles(Path.Combine(EvalCli.RepoRoot, "evals"), "*.yaml");

        Assert.Contains(suites, s => s.EndsWith("analytics.yaml", StringComparison.Ordinal));
        Assert.Equal(0, Cli.Validate(suites.Select(s => new FileInfo(s)).ToArray()));
    }
}
