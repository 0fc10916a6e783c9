using System.Text.Json;
using Agents.AgentHost.Chat;
using Agents.Evals.Assertions;
using Agents.Evals.Running;
using Agents.Evals.Targets;

namespace Agents.Evals.Tests.Reports;

/// <summary>
/// A two-variant run (repeat 2) with every shape the reports must handle. Variant "gpt":
/// greets passes (with a skipped rubric), xss fails twice (its reply carries a script tag),
/// flaky passes once, register errors on its second run. Variant "local" passes everything.
/// </summary>
internal static class SampleRuns
{
    public const string ScriptReply = "Ecco <script>alert('x')</script> & altro";

    public static EvalRun Current() => Run(
        Variant("gpt", "openai", "gpt-4o-mini",
            Case("greets", ["smoke", "it"], Pass("Ciao!\nCome posso aiutarti?", rubric: true), Pass("Ciao!", rubric: true)),
            Case("xss", ["safety"], Fail(ScriptReply), Fail(ScriptReply)),
            Case("flaky-search", ["search"], Search(passed: true), Search(passed: false)),
            Case("register", ["links"], Register(error: null), Register(error: "no register link to open"))),
        Variant("local", "local", null,
            Case("greets", ["smoke", "it"], Pass("Ciao!", rubric: true), Pass("Ciao!", rubric: true)),
            Case("xss", ["safety"], Pass("Ecco i prodotti."), Pass("Ecco i prodotti.")),
            Case("flaky-search", ["search"], Search(passed: true), Search(passed: true)),
            Case("register", ["links"], Register(error: null), Register(error: null))));

    /// <summary>
    /// The previous run: gpt's xss passed (regressed now), greets failed (fixed now), register did
    /// not exist (added now) and an old case was dropped (removed now).
    /// </summary>
    public static EvalRun Baseline()
    {
        var current = Current();
        var gpt = current.Variants[0];
        var cases = new List<CaseResult>
        {
            Case("greets", ["smoke"], Fail("Salve"), Fail("Salve")),
            Case("xss", ["safety"], Pass("Ecco i prodotti di prima."), Pass("Ecco i prodotti di prima.")),
            Case("flaky-search", ["search"], Search(passed: false), Search(passed: false)),
            Case("old-case", [], Pass("ok"), Pass("ok")),
        };
        return current with
        {
            StartedAt = current.StartedAt.AddDays(-1),
            FinishedAt = current.FinishedAt.AddDays(-1),
            Variants = [gpt with { Cases = cases }, current.Variants[1]],
        };
    }

    public static EvalRun Run(params VariantResult[] variants) => new()
    {
        Suite = "shop-basics",
        Description = "Smoke cases for the <b>shop</b> assistant",
        SuitePath = "evals/shop-basics.yaml",
        Target = "in-process (demo)",
        Threshold = 0.8,
        Repeat = 2,
        StartedAt = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.FromHours(1)),
        FinishedAt = new DateTimeOffset(2025, 3, 1, 10, 2, 30, TimeSpan.FromHours(1)),
        Machine = "ci-runner-1",
        Variants = variants,
    };

    public static VariantResult Variant(string name, string provider, string? model, params CaseResult[] cases) => new()
    {
        Name = name,
        Provider = provider,
        Model = model,
        PromptVersion = "shop-assistant@2;replies@1",
        Cases = cases,
        Threshold = 0.8,
        TurnLatency = LatencyStats.Of(cases.SelectMany(c => c.Runs).SelectMany(r => r.Steps).Select(s => s.Observation?.LatencyMs ?? 0)),
    };

    public static CaseResult Case(string id, string[] tags, params CaseRun[] runs) => new()
    {
        Id = id,
        Description = $"case {id}",
        Tags = tags,
        Line = 10,
        Runs = runs.Select((r, i) => r with { Attempt = i + 1, SessionId = $"{id}-{i + 1}" }).ToList(),
        RunLatency = LatencyStats.Of(runs.Select(r => r.LatencyMs)),
    };

    public static CaseRun Pass(string reply, bool rubric = false) => Turn("ciao", reply, passed: true, rubric);

    public static CaseRun Fail(string reply) => Turn("mostrami i prodotti", reply, passed: false, rubric: false);

    private static CaseRun Turn(string user, string reply, bool passed, bool rubric)
    {
        var assertions = new List<AssertionRecord>
        {
            new("language", "language it", passed ? AssertionOutcome.Passed : AssertionOutcome.Failed, passed ? "it" : "reply contains markup", 12),
        };
        if (rubric)
        {
            assertions.Add(new("rubric", "rubric: greets warmly", AssertionOutcome.Skipped, "no judge configured", 13));
        }

        return RunOf(null, new StepResult
        {
            Kind = "turn",
            Line = 11,
            Input = user,
            Observation = Observation(reply),
            Assertions = assertions,
        });
    }

    private static CaseRun Search(bool passed) => RunOf(null, new StepResult
    {
        Kind = "turn",
        Line = 21,
        Input = "scarpe sotto 20 €",
        Observation = Observation(passed ? "Ho trovato 2 scarpe." : "Non ho trovato nulla.") with
        {
            ToolCalls =
            [
                new("search_products", JsonDocument.Parse("""{"maxPrice":20,"query":"scarpe"}""").RootElement,
                    JsonDocument.Parse("""[{"name":"Scarpa è bella","price":19.9}]""").RootElement),
                new("never_returned", JsonDocument.Parse("{}").RootElement, default),
            ],
            Citations = [new(Guid.Parse("7d3f7ac1-1f7e-4a9b-9d55-5b0a4c9ce001"), "Guida taglie", "Le taglie…")],
        },
        Assertions = [new("tool_called", """tool_called search_products {"maxPrice":20}""", passed ? AssertionOutcome.Passed : AssertionOutcome.Failed, passed ? "called" : "not called", 22)],
    });

    private static CaseRun Register(string? error) => RunOf(
        error,
        new StepResult
        {
            Kind = "turn",
            Line = 31,
            Input = "voglio registrarmi",
            Observation = Observation("Ecco il link.") with
            {
                Links = [new("register", "https://shop.example/r/abc", new DateTimeOffset(2025, 3, 1, 11, 0, 0, TimeSpan.Zero))],
            },
            Assertions = [new("link_issued", "link_issued register", AssertionOutcome.Passed, "issued", 32)],
        },
        new StepResult { Kind = "page", Line = 33, Input = "open register link", PageStatus = error is null ? 200 : null, Assertions = [] });

    private static CaseRun RunOf(string? error, params StepResult[] steps) => new() { Attempt = 1, SessionId = "s", Steps = steps, Error = error };

    private static TurnObservation Observation(string reply) => new()
    {
        Reply = reply,
        Language = "it",
        Usage = new UsageDto(120, 30, 0.00042m),
        ServerLatencyMs = 800,
        LatencyMs = 850.5,
    };
}
