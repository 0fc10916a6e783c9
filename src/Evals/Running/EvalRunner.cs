using System.Globalization;
using Agents.Evals.Assertions;
using Agents.Evals.Suites;
using Agents.Evals.Targets;

namespace Agents.Evals.Running;

/// <summary>Which part of a suite to run.</summary>
public sealed record RunOptions(IReadOnlyList<string> Variants, IReadOnlyList<string> Tags, int? Repeat = null, int Parallel = 1)
{
    public static RunOptions All { get; } = new([], []);

    public bool Includes(CaseSpec spec) => Tags.Count == 0 || Tags.Any(t => spec.Tags.Contains(t, StringComparer.OrdinalIgnoreCase) || spec.Id.Equals(t, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Progress as the runner goes: one call per finished case run, and free-text events (host started…).</summary>
public interface IRunProgress
{
    void VariantStarted(VariantSpec variant, int runs);

    void RunFinished(VariantSpec variant, CaseSpec spec, CaseRun run);

    void Message(string text);
}

/// <summary>
/// Runs a suite: for each variant, each case (filtered by tag or id) <c>repeat</c> times, each run a
/// fresh session and customer; turns go to the target over HTTP and every assertion is evaluated.
/// </summary>
public sealed class EvalRunner(IEvalTarget target, AssertionContext senses, IRunProgress progress)
{
    // Built once per assertion of the suite (a compiled regex, a parsed JSON Schema), whatever the repeats and variants.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<AssertionSpec, IAssertion> _assertions = new(ReferenceEqualityComparer.Instance);

    public async Task<EvalRun> RunAsync(Suite suite, RunOptions options, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var variants = options.Variants.Count == 0 ? suite.Variants : suite.Variants.Where(v => options.Variants.Contains(v.Name)).ToList();
        var unknown = options.Variants.Where(v => suite.Variants.All(s => s.Name != v)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown variant {string.Join(", ", unknown.Select(u => $"'{u}'"))}; the suite has {string.Join(", ", suite.Variants.Select(v => v.Name))}");
        }

        var cases = suite.Cases.Where(options.Includes).ToList();
        var repeat = options.Repeat ?? suite.Repeat;
        var results = new List<VariantResult>();
        foreach (var variant in variants)
        {
            results.Add(await RunVariantAsync(suite, variant, cases, repeat, options.Parallel, cancellationToken));
        }

        return new EvalRun
        {
            Suite = suite.Name,
            Description = suite.Description,
            SuitePath = suite.Path,
            Target = target.Description,
            Threshold = suite.Threshold,
            Repeat = repeat,
            Filter = options.Tags.Count == 0 ? null : string.Join(",", options.Tags),
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            Machine = $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            Variants = results,
        };
    }

    private async Task<VariantResult> RunVariantAsync(Suite suite, VariantSpec variant, List<CaseSpec> cases, int repeat, int parallel, CancellationToken cancellationToken)
    {
        progress.VariantStarted(variant, cases.Count * repeat);
        ChatConnection connection;
        try
        {
            connection = await target.ConnectAsync(variant, cancellationToken);
        }
        catch (Exception e) when (e is EvalStepException or HttpRequestException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            progress.Message($"variant {variant.Name} could not start: {e.Message}");
            return Result(suite, variant, null, cases.Select(c => Case(c, [])).ToList(), e.Message);
        }

        using (connection)
        {
            var jobs = cases.SelectMany(c => Enumerable.Range(1, repeat).Select(attempt => (Case: c, Attempt: attempt))).ToList();
            var runs = new CaseRun[jobs.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, jobs.Count), new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    runs[i] = await RunCaseAsync(suite, variant, jobs[i].Case, jobs[i].Attempt, connection, ct);
                    progress.RunFinished(variant, jobs[i].Case, runs[i]);
                });
            var byCase = cases.Select(c => Case(c, runs.Where((_, i) => jobs[i].Case == c).ToList())).ToList();
            return Result(suite, variant, connection.PromptVersion, byCase, null);
        }
    }

    private async Task<CaseRun> RunCaseAsync(Suite suite, VariantSpec variant, CaseSpec spec, int attempt, ChatConnection connection, CancellationToken cancellationToken)
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var sessionId = string.Create(CultureInfo.InvariantCulture, $"eval-{suite.Name}-{variant.Name}-{spec.Id}-{attempt}-{unique}");
        var customerId = $"eval-{spec.Id}-{unique}";
        var steps = new List<StepResult>();
        var transcript = new List<(string Role, string Text)>();
        foreach (var step in spec.Steps)
        {
            try
            {
                switch (step)
                {
                    case TurnSpec turn:
                        var message = WithRunId(turn.User, unique);
                        var observation = await connection.SendAsync(sessionId, customerId, spec, message, cancellationToken);
                        transcript.Add(("user", message));
                        var context = new AssertionContext(senses.Languages, senses.Embedder, senses.Judge) { Transcript = transcript.ToList() };
                        var records = new List<AssertionRecord>();
                        foreach (var assertionSpec in turn.Assertions)
                        {
                            var assertion = _assertions.GetOrAdd(assertionSpec, Build);
                            var result = await assertion.EvaluateAsync(observation, context, cancellationToken);
                            records.Add(new AssertionRecord(assertionSpec.Kind, assertion.Description, result.Outcome, result.Message, assertionSpec.Line));
                        }

                        transcript.Add(("assistant", observation.Reply));
                        steps.Add(new StepResult { Kind = "turn", Line = turn.Line, Input = message, Observation = observation, Assertions = records });
                        break;
                    case PageSpec page:
                        var link = steps.Select(s => s.Observation).OfType<TurnObservation>().SelectMany(o => o.Links).LastOrDefault(l => l.Purpose == page.Purpose)
                            ?? throw new EvalStepException($"no '{page.Purpose}' link was given earlier in the conversation");
                        var status = await connection.SubmitPageAsync(link.Url, page.Fields.ToDictionary(f => f.Key, f => WithRunId(f.Value, unique)), cancellationToken);
                        steps.Add(new StepResult
                        {
                            Kind = "page",
                            Line = page.Line,
                            Input = $"open the {page.Purpose} link and submit it",
                            PageStatus = status,
                            Assertions = [],
                            Error = status is >= 200 and < 400 ? null : $"the {page.Purpose} page answered {status}",
                        });
                        break;
                }
            }
            catch (Exception e) when (e is EvalStepException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return new CaseRun { Attempt = attempt, SessionId = sessionId, Steps = steps, Error = $"line {step.Line}: {e.Message}" };
            }

            if (steps[^1].Error is { } error)
            {
                return new CaseRun { Attempt = attempt, SessionId = sessionId, Steps = steps, Error = $"line {step.Line}: {error}" };
            }
        }

        return new CaseRun { Attempt = attempt, SessionId = sessionId, Steps = steps };
    }

    /// <summary>The loader already validated every spec, so creation cannot fail here.</summary>
    private static IAssertion Build(AssertionSpec spec) =>
        AssertionFactory.TryCreate(spec, out var assertion, out var error) ? assertion : throw new InvalidOperationException(error);

    private static string WithRunId(string text, string runId) => text.Replace("{{" + SuiteLoader.RunIdPlaceholder + "}}", runId, StringComparison.Ordinal);

    private static CaseResult Case(CaseSpec spec, IReadOnlyList<CaseRun> runs) => new()
    {
        Id = spec.Id,
        Description = spec.Description,
        Tags = spec.Tags,
        Line = spec.Line,
        KnownIssue = spec.KnownIssue,
        Runs = runs,
        RunLatency = LatencyStats.Of(runs.Select(r => r.LatencyMs)),
    };

    private static VariantResult Result(Suite suite, VariantSpec variant, string? promptVersion, IReadOnlyList<CaseResult> cases, string? error) => new()
    {
        Name = variant.Name,
        Provider = variant.Provider,
        Model = variant.Model,
        PromptVersion = promptVersion,
        Cases = cases,
        Error = error,
        Threshold = suite.Threshold,
        TurnLatency = LatencyStats.Of(cases.SelectMany(c => c.Runs).SelectMany(r => r.Steps).Select(s => s.Observation?.LatencyMs).OfType<double>()),
    };
}
