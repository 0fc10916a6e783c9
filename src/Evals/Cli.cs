using System.Globalization;
using Agents.AgentHost.Chat;
using Agents.Data;
using Agents.Evals.Assertions;
using Agents.Evals.Caching;
using Agents.Evals.Judging;
using Agents.Evals.Reports;
using Agents.Evals.Running;
using Agents.Evals.Suites;
using Agents.Evals.Targets;
using Agents.Retrieval.Indexing;
using Agents.Retrieval.Language;
using Agents.Runtime.Providers;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Agents.Evals;

/// <summary>The commands behind Program.cs: run, validate, compare. Exit codes: 0 passed, 1 threshold missed or regression, 2 bad suite or arguments.</summary>
public static class Cli
{
    public sealed record RunArguments(FileInfo[] Suites, string[] Variants, string[] Tags, int? Repeat, int Parallel, DirectoryInfo? Output,
        FileInfo? Baseline, DirectoryInfo? Cache, bool NoCache, IReadOnlyDictionary<string, string?>? Settings = null);

    /// <summary>--set key=value pairs; a pair without '=' is a usage error.</summary>
    public static IReadOnlyDictionary<string, string?> ParseSettings(IEnumerable<string> pairs) => pairs.Select(p => p.Split('=', 2)).ToDictionary(
        p => p.Length == 2 && p[0].Length > 0 ? p[0] : throw new ArgumentException($"--set needs key=value, got '{string.Join('=', p)}'"), p => (string?)p[1]);

    /// <summary>The outcome of one suite, for callers that run the CLI in-process (the CI test).</summary>
    public sealed record SuiteOutcome(EvalRun Run, string Directory, RunDiff? Diff);

    public static async Task<int> RunAsync(RunArguments arguments, CancellationToken cancellationToken)
    {
        var (code, _) = await RunSuitesAsync(arguments, AnsiConsole.Console, cancellationToken);
        return code;
    }

    public static async Task<(int Code, IReadOnlyList<SuiteOutcome> Outcomes)> RunSuitesAsync(RunArguments arguments, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var loaded = new List<Suite>();
        foreach (var file in arguments.Suites)
        {
            try
            {
                loaded.Add(SuiteLoader.Load(file.FullName));
            }
            catch (Exception e) when (e is SuiteException or IOException)
            {
                PrintErrors(console, e);
                return (2, []);
            }
        }

        foreach (var suite in loaded)
        {
            var unknown = arguments.Variants.Where(v => suite.Variants.All(s => s.Name != v)).ToList();
            if (unknown.Count > 0)
            {
                console.MarkupLineInterpolated($"[red]{suite.Path}: no variant {string.Join(", ", unknown)}; it has {string.Join(", ", suite.Variants.Select(v => v.Name))}[/]");
                return (2, []);
            }

            var options = new RunOptions(arguments.Variants, arguments.Tags);
            if (!suite.Cases.Any(options.Includes))
            {
                console.MarkupLineInterpolated($"[red]{suite.Path}: no case has the tag or id {string.Join(", ", arguments.Tags)}[/]");
                return (2, []);
            }
        }

        EvalRun? baseline = arguments.Baseline is null ? null : await RunJson.ReadAsync(arguments.Baseline.FullName, cancellationToken);
        var code = 0;
        var outcomes = new List<SuiteOutcome>();
        foreach (var suite in loaded)
        {
            var outcome = await RunSuiteAsync(suite, arguments, baseline, console, cancellationToken);
            outcomes.Add(outcome);
            if (!outcome.Run.Passed || outcome.Diff?.HasRegressions == true)
            {
                code = 1;
            }
        }

        return (code, outcomes);
    }

    private static async Task<SuiteOutcome> RunSuiteAsync(Suite suite, RunArguments arguments, EvalRun? baseline, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var directory = arguments.Output is null || arguments.Suites.Length > 1
            ? Path.Combine(arguments.Output?.FullName ?? Path.Combine(Environment.CurrentDirectory, "TestResults", "evals"), suite.Name)
            : arguments.Output.FullName;
        Directory.CreateDirectory(directory);
        var counters = new CacheCounters();
        var cacheDirectory = arguments.Cache?.FullName ?? Path.Combine(DataExtensions.DefaultDataDirectory(Environment.CurrentDirectory), "evals-cache");
        IHostedModelDecorator? decorator = arguments.NoCache ? null : new DiskCacheDecorator(cacheDirectory, counters);
        console.MarkupLineInterpolated($"[bold]{suite.Name}[/] {suite.Description ?? ""} — {suite.Cases.Count} cases, {suite.Variants.Count} variant(s)");

        await using IEvalTarget target = suite.Target.Kind == TargetKind.Http
            ? new HttpTarget(suite.Target)
            : new InProcessTarget(suite.Target, decorator, Path.Combine(directory, "host.log"), line => console.MarkupLineInterpolated($"  [grey]{line}[/]"),
                arguments.Settings);
        var detector = new LanguageDetector();
        var senses = new AssertionContext(new TextCatLanguageDetector(detector), new LocalTextEmbedder(async () => await LocalEmbeddingModel.LoadAsync(
            Path.Combine(DataExtensions.DefaultDataDirectory(AppContext.BaseDirectory), "models"), _ => { }, cancellationToken)), Judge(suite.Judge, decorator, arguments.Settings));

        var options = new RunOptions(arguments.Variants, arguments.Tags, arguments.Repeat, Math.Max(1, arguments.Parallel));
        var run = await console.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context => await new EvalRunner(target, senses, new SpectreProgress(context, console)).RunAsync(suite, options, cancellationToken));

        var diff = baseline is null ? null : Diff.Compare(baseline, run);
        await RunJson.WriteAsync(run, Path.Combine(directory, "results.json"), cancellationToken);
        JUnitReport.Write(run, Path.Combine(directory, "junit.xml"));
        await HtmlReport.WriteAsync(Path.Combine(directory, "report.html"), run, baseline, cancellationToken);
        PrintSummary(console, run, diff, counters, arguments.NoCache);
        console.MarkupLineInterpolated($"Reports: [link]{Path.Combine(directory, "report.html")}[/] (+ results.json, junit.xml)");
        return new SuiteOutcome(run, directory, diff);
    }

    public static int Validate(FileInfo[] files)
    {
        var code = 0;
        foreach (var file in files)
        {
            try
            {
                var suite = SuiteLoader.Load(file.FullName);
                AnsiConsole.MarkupLineInterpolated($"[green]✓[/] {file.Name}: {suite.Cases.Count} cases, {suite.Cases.Sum(c => c.Steps.Count)} steps, {suite.Variants.Count} variant(s)");
            }
            catch (Exception e) when (e is SuiteException or IOException)
            {
                PrintErrors(AnsiConsole.Console, e);
                code = 2;
            }
        }

        return code;
    }

    public static async Task<int> CompareAsync(FileInfo before, FileInfo after, FileInfo? output, CancellationToken cancellationToken)
    {
        var baseline = await RunJson.ReadAsync(before.FullName, cancellationToken);
        var current = await RunJson.ReadAsync(after.FullName, cancellationToken);
        var diff = Diff.Compare(baseline, current);
        var path = output?.FullName ?? Path.Combine(after.DirectoryName ?? ".", "compare.html");
        await HtmlReport.WriteAsync(path, current, baseline, cancellationToken);
        PrintSummary(AnsiConsole.Console, current, diff, null, noCache: false);
        AnsiConsole.MarkupLineInterpolated($"Diff report: [link]{path}[/]");
        return diff.HasRegressions ? 1 : 0;
    }

    /// <summary>The suite's judge: its hosted model with the host's credentials (Models__OpenAi__ApiKey…), behind the same cache.</summary>
    private static IJudge? Judge(ModelSpec? spec, IHostedModelDecorator? decorator, IReadOnlyDictionary<string, string?>? settings)
    {
        if (spec is null)
        {
            return null;
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var options = configuration.GetSection(spec.Provider == "bedrock" ? "Models:Bedrock" : "Models:OpenAi").Get<ModelProviderOptions>() ?? new ModelProviderOptions();
        options.Provider = spec.Provider;
        options.Model = spec.Model;
        try
        {
            var client = ChatClientFactory.Create(options);
            return new ModelJudge(decorator?.Decorate(client, spec.Provider, spec.Model) ?? client);
        }
        catch (ArgumentException e)
        {
            // A judge that cannot be built fails every rubric with the reason: it must never pass them.
            return new UnavailableJudge($"judge {spec.Provider}:{spec.Model} is not configured ({e.Message})");
        }
    }

    private static void PrintSummary(IAnsiConsole console, EvalRun run, RunDiff? diff, CacheCounters? counters, bool noCache)
    {
        foreach (var variant in run.Variants)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"{run.Suite} · {variant.Name}")
                .AddColumn("case").AddColumn("result").AddColumn(new TableColumn("latency ms").RightAligned()).AddColumn(new TableColumn("cost $").RightAligned()).AddColumn("first failure");
            foreach (var result in variant.Cases)
            {
                var verdict = result.KnownIssue is not null ? (result.Passed ? "[yellow]known issue passes[/]" : "[grey]known issue[/]")
                    : result.Passed ? "[green]pass[/]" : result.Flaky ? $"[yellow]flaky {result.PassedRuns}/{result.Runs.Count}[/]" : $"[red]fail {result.PassedRuns}/{result.Runs.Count}[/]";
                table.AddRow(Markup.Escape(result.Id), verdict, Number(result.RunLatency.Mean, "F0"), Number((double)result.Runs.Sum(r => r.CostUsd), "F4"),
                    Markup.Escape(Clip(result.KnownIssue ?? FirstFailure(result) ?? "", 160)));
            }

            console.Write(table);
            var met = variant.MetThreshold ? "[green]met[/]" : "[red]missed[/]";
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"[bold]{Markup.Escape(variant.Name)}[/]: {variant.PassedRuns}/{variant.Runs} runs passed ({variant.PassRate:P1}), threshold {run.Threshold:P0} {met}; turn latency p50 {variant.TurnLatency.P50:F0} ms, p95 {variant.TurnLatency.P95:F0} ms; cost ${variant.CostUsd:F4}; {variant.Tokens:N0} tokens"));
            if (variant.KnownIssues > 0)
            {
                console.MarkupLineInterpolated($"{variant.KnownIssues} case(s) marked known_issue are reported above but not counted; one that now passes can lose its mark.");
            }

            if (variant.Error is { } error)
            {
                console.MarkupLineInterpolated($"[red]{error}[/]");
            }
        }

        if (counters is not null)
        {
            console.MarkupLine(noCache ? "Hosted-model cache: off" : $"Hosted-model cache: {counters.Hits} hits, {counters.Misses} calls sent");
        }

        if (diff is not null)
        {
            foreach (var variant in diff.Variants)
            {
                console.MarkupLineInterpolated($"vs baseline · {variant.Variant}: {variant.Regressed.Count} regressed {Join(variant.Regressed)}, {variant.Fixed.Count} fixed, {variant.Added.Count} new, {variant.Removed.Count} removed");
            }
        }
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    private static string Join(IReadOnlyList<string> ids) => ids.Count == 0 ? "" : $"({string.Join(", ", ids)})";

    private static string? FirstFailure(CaseResult result)
    {
        var run = result.Runs.FirstOrDefault(r => !r.Passed);
        if (run is null)
        {
            return null;
        }

        if (run.Error is { } error)
        {
            return error;
        }

        var failed = run.Steps.SelectMany(s => s.Assertions).FirstOrDefault(a => a.Outcome == AssertionOutcome.Failed);
        return failed is null ? null : $"line {failed.Line}: {failed.Description} — {failed.Message}";
    }

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static void PrintErrors(IAnsiConsole console, Exception e)
    {
        var lines = e is SuiteException suite ? suite.Errors : [e.Message];
        foreach (var line in lines)
        {
            console.MarkupLineInterpolated($"[red]{line}[/]");
        }
    }

    private sealed class UnavailableJudge(string reason) : IJudge
    {
        public Task<JudgeVerdict> GradeAsync(string rubric, IReadOnlyList<(string Role, string Text)> transcript, string reply, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(reason);
    }

    private sealed class SpectreProgress(ProgressContext context, IAnsiConsole console) : IRunProgress
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];

        public void VariantStarted(VariantSpec variant, int runs) => _tasks[variant.Name] = context.AddTask(Markup.Escape(variant.Name), maxValue: Math.Max(1, runs));

        public void RunFinished(VariantSpec variant, CaseSpec spec, CaseRun run)
        {
            _tasks[variant.Name].Increment(1);
            if (!run.Passed)
            {
                console.MarkupLineInterpolated($"  [red]✗[/] {variant.Name} · {spec.Id} #{run.Attempt}");
            }
        }

        public void Message(string text) => console.MarkupLineInterpolated($"  [grey]{text}[/]");
    }
}
