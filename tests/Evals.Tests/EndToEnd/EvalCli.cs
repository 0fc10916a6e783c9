using Agents.Evals.Running;
using Spectre.Console;

namespace Agents.Evals.Tests.EndToEnd;

/// <summary>Runs the CLI's run command in-process, its terminal output captured for the test's failure message.</summary>
internal static class EvalCli
{
    public static string RepoRoot { get; } = FindRoot();

    public static async Task<(int Code, IReadOnlyList<Cli.SuiteOutcome> Outcomes, string Output)> RunAsync(string[] suites, string output,
        string? cache = null, bool noCache = false, IReadOnlyDictionary<string, string?>? settings = null, string[]? tags = null, int? repeat = null,
        string? baseline = null)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        var arguments = new Cli.RunArguments(suites.Select(s => new FileInfo(s)).ToArray(), [], tags ?? [], repeat, 1, new DirectoryInfo(output),
            baseline is null ? null : new FileInfo(baseline), new DirectoryInfo(cache ?? Path.Combine(output, "cache")), noCache, settings);
        var (code, outcomes) = await Cli.RunSuitesAsync(arguments, console, TestContext.Current.CancellationToken);
        return (code, outcomes, writer.ToString());
    }

    /// <summary>Every counted case that did not pass, with its first failure, for assertion messages.</summary>
    public static string Failures(EvalRun run) => string.Join(Environment.NewLine, run.Variants.SelectMany(v => v.Cases
        .Where(c => !c.Passed && c.KnownIssue is null)
        .Select(c => $"{v.Name} · {c.Id}: " + string.Join("; ", c.Runs.Select(r => r.Error ?? string.Join(", ", r.Steps.SelectMany(s => s.Assertions)
            .Where(a => a.Outcome == Agents.Evals.Assertions.AssertionOutcome.Failed).Select(a => $"line {a.Line} {a.Description}: {a.Message}"))))))
        .Concat(run.Variants.Where(v => v.Error is not null).Select(v => $"{v.Name}: {v.Error}")));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Agents.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Agents.sln not found above the test binaries.");
    }
}
