using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Agents.Evals.Assertions;
using Agents.Evals.Running;
using Agents.Evals.Targets;

namespace Agents.Evals.Reports;

/// <summary>
/// One self-contained HTML page: inline CSS and SVG, a few lines of inline JS for filtering, no
/// external resource, so it opens offline and as a CI artifact. Every piece of suite or model text
/// goes through <see cref="E"/>: replies are untrusted input.
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Relaxed escaping keeps accents readable; the JSON is HTML-encoded afterwards anyway.
    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions IndentedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    public static async Task WriteAsync(string path, EvalRun run, EvalRun? baseline, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, Render(run, baseline), new UTF8Encoding(false), ct);
    }

    public static string Render(EvalRun run, EvalRun? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var h = new StringBuilder();

        // The CSP makes "no external resource" hold even if some text slipped through unencoded.
        h.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append(Inv, $"<title>{E(run.Suite)} · eval report</title>\n<style>{Css}</style></head>\n<body>\n");
        Header(h, run);
        Summary(h, run);
        if (run.Variants.Count >= 2)
        {
            Comparison(h, run);
        }

        if (baseline is not null)
        {
            Changes(h, baseline, run);
        }

        Cases(h, run);
        h.Append("<script>").Append(Script).Append("</script>\n</body></html>\n");
        return h.ToString();
    }

    private static void Header(StringBuilder h, EvalRun run)
    {
        h.Append(Inv, $"<header><h1>{E(run.Suite)} {Badge(run.Passed, run.Passed ? "PASS" : "FAIL")}</h1>");
        if (!string.IsNullOrWhiteSpace(run.Description))
        {
            h.Append(Inv, $"<p class=\"text\">{E(run.Description)}</p>");
        }

        h.Append("<dl class=\"meta\">")
            .Append(Inv, $"<dt>Suite file</dt><dd><code>{E(run.SuitePath)}</code></dd>")
            .Append(Inv, $"<dt>Target</dt><dd>{E(run.Target)}</dd><dt>Machine</dt><dd>{E(run.Machine)}</dd>")
            .Append(Inv, $"<dt>Started</dt><dd>{Date(run.StartedAt)}</dd>")
            .Append(Inv, $"<dt>Finished</dt><dd>{Date(run.FinishedAt)} ({(run.FinishedAt - run.StartedAt).TotalSeconds:0.#} s)</dd>")
            .Append(Inv, $"<dt>Threshold</dt><dd>{Pct(run.Threshold)}</dd><dt>Repeat</dt><dd>{run.Repeat}</dd>");
        if (run.Filter is not null)
        {
            h.Append(Inv, $"<dt>Filter</dt><dd><code>{E(run.Filter)}</code></dd>");
        }

        h.Append("</dl></header>\n");
    }

    private static void Summary(StringBuilder h, EvalRun run)
    {
        h.Append("<section id=\"variants\"><h2>Variants</h2><table><thead><tr><th>Variant</th><th>Provider / model</th><th>Prompt version</th>")
            .Append("<th>Pass rate</th><th>Threshold</th><th>p50 turn ms</th><th>p95 turn ms</th><th>Cost USD</th><th>Tokens</th></tr></thead><tbody>\n");
        foreach (var v in run.Variants)
        {
            var error = v.Error is null ? "" : $"<div class=\"error\">{E(v.Error)}</div>";
            h.Append(Inv, $"<tr><td><b>{E(v.Name)}</b>{error}</td><td>{E(v.Provider)}{(v.Model is null ? "" : " / " + E(v.Model))}</td>")
                .Append(Inv, $"<td><code>{E(v.PromptVersion ?? "—")}</code></td><td class=\"num\">{Pct(v.PassRate)} ({v.PassedRuns}/{v.Runs})</td>")
                .Append(Inv, $"<td>{Badge(v.MetThreshold, (v.MetThreshold ? "met " : "missed ") + Pct(v.Threshold))}</td>")
                .Append(Inv, $"<td class=\"num\">{v.TurnLatency.P50:0}</td><td class=\"num\">{v.TurnLatency.P95:0}</td>")
                .Append(Inv, $"<td class=\"num\">{v.CostUsd:0.0000}</td><td class=\"num\">{v.Tokens:N0}</td></tr>\n");
        }

        h.Append("</tbody></table>\n");
        Chart(h, run.Variants);
        h.Append("</section>\n");
    }

    /// <summary>Pass rate bars with each variant's threshold as a dashed tick; pure SVG so it needs no script.</summary>
    private static void Chart(StringBuilder h, IReadOnlyList<VariantResult> variants)
    {
        const int label = 160, bar = 360, row = 24;
        h.Append(Inv, $"<svg class=\"chart\" role=\"img\" aria-label=\"Pass rate per variant\" width=\"{label + bar + 60}\" height=\"{(variants.Count * row) + 8}\">");
        for (var i = 0; i < variants.Count; i++)
        {
            var v = variants[i];
            var y = (i * row) + 4;
            var width = bar * Math.Clamp(v.PassRate, 0, 1);
            var tick = label + (bar * Math.Clamp(v.Threshold, 0, 1));
            h.Append(Inv, $"<text x=\"{label - 8}\" y=\"{y + 13}\" text-anchor=\"end\">{E(Snippet(v.Name, 24))}</text>")
                .Append(Inv, $"<rect class=\"track\" x=\"{label}\" y=\"{y}\" width=\"{bar}\" height=\"16\"/>")
                .Append(Inv, $"<rect class=\"{(v.MetThreshold ? "ok" : "ko")}\" x=\"{label}\" y=\"{y}\" width=\"{width:0.#}\" height=\"16\"/>")
                .Append(Inv, $"<line class=\"thr\" x1=\"{tick:0.#}\" x2=\"{tick:0.#}\" y1=\"{y - 2}\" y2=\"{y + 18}\"/>")
                .Append(Inv, $"<text x=\"{label + bar + 6}\" y=\"{y + 13}\">{Pct(v.PassRate)}</text>");
        }

        h.Append("</svg>\n");
    }

    private static void Comparison(StringBuilder h, EvalRun run)
    {
        var lookups = run.Variants
            .Select(v => v.Cases.Select((c, i) => (Case: c, Index: i)).DistinctBy(x => x.Case.Id).ToDictionary(x => x.Case.Id, StringComparer.Ordinal))
            .ToList();
        var ids = run.Variants.SelectMany(v => v.Cases).Select(c => c.Id).Distinct(StringComparer.Ordinal);
        h.Append("<section id=\"compare\"><h2>Side by side</h2><p class=\"muted\">Rows where the variants disagree are highlighted.</p><table class=\"compare\"><thead><tr><th>Case</th>");
        foreach (var v in run.Variants)
        {
            h.Append(Inv, $"<th>{E(v.Name)}</th>");
        }

        h.Append("</tr></thead><tbody>\n");
        foreach (var id in ids)
        {
            var cells = new List<(VariantResult Variant, CaseResult? Case, string Anchor)>();
            for (var i = 0; i < run.Variants.Count; i++)
            {
                var found = lookups[i].TryGetValue(id, out var x);
                cells.Add((run.Variants[i], found ? x.Case : null, string.Create(Inv, $"v{i}-c{x.Index}")));
            }

            var states = cells.Select(x => x.Case is null ? "missing" : State(x.Variant, x.Case).Class).Distinct().Count();
            var failed = cells.Any(x => x.Case is null || State(x.Variant, x.Case).Class != "pass");
            var tags = cells.Select(x => x.Case).OfType<CaseResult>().First().Tags;
            h.Append(Inv, $"<tr class=\"{(states > 1 ? "disagree" : "")}\" {Filterable(id, tags, failed)}><td><code>{E(id)}</code></td>");
            foreach (var (variant, c, anchor) in cells)
            {
                if (c is null)
                {
                    h.Append("<td class=\"muted\">—</td>");
                    continue;
                }

                var (cls, text) = State(variant, c);
                h.Append(Inv, $"<td><a class=\"{cls}\" href=\"#{anchor}\">{text}</a><div class=\"snippet\">{E(Snippet(LastReply(c), 200))}</div></td>");
            }

            h.Append("</tr>\n");
        }

        h.Append("</tbody></table></section>\n");
    }

    private static void Changes(StringBuilder h, EvalRun baseline, EvalRun run)
    {
        var diff = Diff.Compare(baseline, run);
        h.Append(Inv, $"<section id=\"changes\"><h2>Changes vs baseline {Badge(!diff.HasRegressions, diff.HasRegressions ? "REGRESSIONS" : "NO REGRESSIONS")}</h2>")
            .Append(Inv, $"<p class=\"muted\">Baseline started {Date(baseline.StartedAt)} on {E(baseline.Machine)} against {E(baseline.Target)}.</p>");
        if (diff.AddedVariants.Count > 0)
        {
            h.Append(Inv, $"<p>New variants: {E(string.Join(", ", diff.AddedVariants))}</p>");
        }

        if (diff.RemovedVariants.Count > 0)
        {
            h.Append(Inv, $"<p>Variants no longer run: {E(string.Join(", ", diff.RemovedVariants))}</p>");
        }

        foreach (var d in diff.Variants)
        {
            h.Append(Inv, $"<h3>{E(d.Variant)} <span class=\"muted\">{Pct(d.BaselinePassRate)} → {Pct(d.PassRate)}</span></h3><ul>");
            ChangeList(h, "fail", "Regressed", d.Regressed);
            ChangeList(h, "pass", "Fixed", d.Fixed);
            ChangeList(h, "", "New", d.Added);
            ChangeList(h, "muted", "Removed", d.Removed);
            if (d.Regressed.Count + d.Fixed.Count + d.Added.Count + d.Removed.Count == 0)
            {
                h.Append("<li class=\"muted\">No case changed outcome.</li>");
            }

            h.Append("</ul>\n");
            var before = baseline.Variants.First(v => v.Name == d.Variant);
            var now = run.Variants.First(v => v.Name == d.Variant);
            foreach (var id in d.Regressed)
            {
                var was = LastRun(before.Cases.FirstOrDefault(c => c.Id == id));
                var current = now.Cases.FirstOrDefault(c => c.Id == id);
                var isNow = current?.Runs.FirstOrDefault(r => !r.Passed) ?? LastRun(current);
                h.Append(Inv, $"<details class=\"regressed\" open><summary><code>{E(id)}</code> baseline vs current</summary>");
                if ((isNow?.Error ?? now.Error) is { } error)
                {
                    h.Append(Inv, $"<p class=\"error\">{E(error)}</p>");
                }

                h.Append("<table><thead><tr><th>Step</th><th>Baseline</th><th>Current</th></tr></thead><tbody>");
                var count = Math.Max(was?.Steps.Count ?? 0, isNow?.Steps.Count ?? 0);
                for (var i = 0; i < count; i++)
                {
                    var a = was?.Steps.ElementAtOrDefault(i);
                    var b = isNow?.Steps.ElementAtOrDefault(i);
                    h.Append(Inv, $"<tr><td class=\"text\">{E((b ?? a)!.Input)}</td><td>{StepBrief(a)}</td><td>{StepBrief(b)}</td></tr>");
                }

                h.Append("</tbody></table></details>\n");
            }
        }

        h.Append("</section>\n");
    }

    private static void ChangeList(StringBuilder h, string cls, string label, IReadOnlyList<string> ids)
    {
        if (ids.Count > 0)
        {
            h.Append(Inv, $"<li class=\"{cls}\">{label} ({ids.Count}): {string.Join(", ", ids.Select(id => $"<code>{E(id)}</code>"))}</li>");
        }
    }

    private static string StepBrief(StepResult? step)
    {
        if (step is null)
        {
            return "<span class=\"muted\">—</span>";
        }

        var text = step.Observation is { } turn ? $"<div class=\"text\">{E(turn.Reply)}</div>"
            : string.Create(Inv, $"<div>HTTP {step.PageStatus?.ToString(Inv) ?? "—"}</div>");
        var failed = step.Assertions.Where(a => a.Outcome == AssertionOutcome.Failed)
            .Select(a => $"<div class=\"fail\">✗ <code>{E(a.Description)}</code> {E(a.Message)}</div>");
        return text + string.Concat(failed) + (step.Error is null ? "" : $"<div class=\"error\">{E(step.Error)}</div>");
    }

    private static void Cases(StringBuilder h, EvalRun run)
    {
        h.Append("<section id=\"cases\"><h2>Cases</h2><div class=\"filters\"><input id=\"q\" type=\"search\" placeholder=\"Filter by case id or tag\"> ")
            .Append("<label><input id=\"only-failed\" type=\"checkbox\"> only failures</label></div>\n");
        for (var vi = 0; vi < run.Variants.Count; vi++)
        {
            var v = run.Variants[vi];
            h.Append(Inv, $"<h3>{E(v.Name)} <span class=\"muted\">{E(v.Provider)}{(v.Model is null ? "" : " / " + E(v.Model))}</span> {Badge(v.MetThreshold, Pct(v.PassRate))}</h3>\n");
            if (v.Error is not null)
            {
                h.Append(Inv, $"<p class=\"error\">{E(v.Error)}</p>\n");
            }

            for (var ci = 0; ci < v.Cases.Count; ci++)
            {
                Case(h, v, v.Cases[ci], string.Create(Inv, $"v{vi}-c{ci}"));
            }
        }

        h.Append("</section>\n");
    }

    private static void Case(StringBuilder h, VariantResult v, CaseResult c, string anchor)
    {
        var (cls, text) = State(v, c);
        var failed = cls != "pass";
        h.Append(Inv, $"<details class=\"case\" id=\"{anchor}\" {Filterable(c.Id, c.Tags, failed)}{(failed ? " open" : "")}>")
            .Append(Inv, $"<summary><span class=\"{cls}\">{text}</span> <code>{E(c.Id)}</code>{(c.Flaky ? " <span class=\"chip flaky\">flaky</span>" : "")}")
            .Append(c.KnownIssue is null ? "" : $" <span class=\"chip flaky\" title=\"{E(c.KnownIssue)}\">known issue</span>")
            .Append(string.Concat(c.Tags.Select(t => $" <span class=\"chip\">{E(t)}</span>")));
        if (!string.IsNullOrWhiteSpace(c.Description))
        {
            h.Append(Inv, $" <span class=\"muted\">{E(c.Description)}</span>");
        }

        var l = c.RunLatency;
        h.Append(Inv, $"</summary>{(c.KnownIssue is null ? "" : $"<p class=\"muted\">Known issue (not counted): {E(c.KnownIssue)}</p>")}<p class=\"muted\">line {c.Line} · passed {c.PassedRuns}/{c.Runs.Count} ({Pct(c.PassRate)})")
            .Append(Inv, $" · run latency {l.Min:0}–{l.Max:0} ms, σ {l.StdDev:0} ms</p>\n");
        foreach (var r in c.Runs)
        {
            h.Append(Inv, $"<div class=\"run {(r.Passed ? "ok" : "ko")}\"><div><b>Run #{r.Attempt}</b> <span class=\"{(r.Passed ? "pass\">✓ passed" : "fail\">✗ failed")}</span>")
                .Append(Inv, $" <span class=\"muted\">· {r.LatencyMs:0} ms · {r.Tokens:N0} tokens · ${r.CostUsd:0.0000} · session <code>{E(r.SessionId)}</code></span></div>");
            if (r.Error is not null)
            {
                h.Append(Inv, $"<p class=\"error\">{E(r.Error)}</p>");
            }

            foreach (var s in r.Steps)
            {
                Step(h, s);
            }

            h.Append("</div>\n");
        }

        h.Append("</details>\n");
    }

    private static void Step(StringBuilder h, StepResult s)
    {
        h.Append("<div class=\"step\">");
        if (s.Kind == "page")
        {
            h.Append(Inv, $"<div class=\"msg\"><span class=\"who\">Page</span><div>{E(s.Input)} · HTTP {s.PageStatus?.ToString(Inv) ?? "—"} <span class=\"muted\">line {s.Line}</span></div></div>");
        }
        else
        {
            h.Append(Inv, $"<div class=\"msg\"><span class=\"who\">User</span><div class=\"text\">{E(s.Input)}</div></div>");
        }

        if (s.Observation is { } o)
        {
            h.Append(Inv, $"<div class=\"msg bot\"><span class=\"who\">Assistant</span><div class=\"text\">{E(o.Reply)}</div></div><ul class=\"items\">");
            foreach (var t in o.ToolCalls)
            {
                var result = Json(t.Result, IndentedJson);
                h.Append(Inv, $"<li><span class=\"label\">tool</span> <code><b>{E(t.Name)}</b> {E(Json(t.Arguments, CompactJson))}</code>")
                    .Append(result.Length == 0 ? " <span class=\"muted\">no result</span></li>"
                        : $"<details><summary class=\"muted\">result</summary><pre>{E(result)}</pre></details></li>");
            }

            if (o.Citations.Count > 0)
            {
                h.Append(Inv, $"<li><span class=\"label\">sources</span> {string.Join(" · ", o.Citations.Select(x => E(x.Title)))}</li>");
            }

            foreach (var link in o.Links)
            {
                // Shown as text, never as an href: links are one-time and the page must stay offline-safe.
                h.Append(Inv, $"<li><span class=\"label\">link</span> {E(link.Purpose)}: <code>{E(link.Url)}</code></li>");
            }

            h.Append(Inv, $"<li class=\"muted\">line {s.Line} · {o.LatencyMs:0} ms (server {o.ServerLatencyMs} ms) · {o.Usage.InputTokens:N0}+{o.Usage.OutputTokens:N0} tokens")
                .Append(Inv, $" · ${o.Usage.CostUsd:0.0000}{(o.Language.Length > 0 ? " · " + E(o.Language) : "")}</li></ul>");
        }

        if (s.Error is not null)
        {
            h.Append(Inv, $"<p class=\"error\">{E(s.Error)}</p>");
        }

        h.Append("<ul class=\"items\">");
        foreach (var a in s.Assertions)
        {
            var (cls, mark) = a.Outcome switch
            {
                AssertionOutcome.Passed => ("pass", "✓"),
                AssertionOutcome.Failed => ("fail", "✗"),
                _ => ("skip", "–"),
            };
            h.Append(Inv, $"<li class=\"{cls}\">{mark} <code>{E(a.Description)}</code> {E(a.Message)} <span class=\"muted\">line {a.Line}</span></li>");
        }

        h.Append("</ul></div>\n");
    }

    private static (string Class, string Text) State(VariantResult v, CaseResult c)
    {
        var counts = string.Create(Inv, $"{c.PassedRuns}/{c.Runs.Count}");
        return v.Error is null && c.Passed ? ("pass", "✓ " + counts)
            : v.Error is null && c.Flaky ? ("flaky", "flaky " + counts)
            : ("fail", "✗ " + counts);
    }

    private static string Filterable(string id, IEnumerable<string> tags, bool failed) =>
        $"data-search=\"{E(string.Join(' ', tags.Prepend(id)))}\" data-failed=\"{(failed ? 1 : 0)}\"";

    private static CaseRun? LastRun(CaseResult? c) => c is { Runs.Count: > 0 } ? c.Runs[^1] : null;

    private static string? LastReply(CaseResult c) =>
        LastRun(c)?.Steps.LastOrDefault(s => s.Observation is not null)?.Observation!.Reply;

    private static string Json(JsonElement element, JsonSerializerOptions options) =>
        element.ValueKind == JsonValueKind.Undefined ? "" : JsonSerializer.Serialize(element, options);

    private static string Snippet(string? text, int max) =>
        text is null ? "" : text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    private static string Badge(bool ok, string text) => $"<span class=\"badge {(ok ? "ok" : "ko")}\">{E(text)}</span>";

    private static string Pct(double rate) => (rate * 100).ToString("0.#", Inv) + "%";

    private static string Date(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss zzz", Inv);

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private const string Css = """
        :root{--ok:#1a7f37;--ko:#cf222e;--flaky:#9a6700;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa}
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff;max-width:1200px;margin:0 auto;padding:24px}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
        table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}th{background:var(--bg)}
        td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}tr.disagree{background:#fff8c5}
        code,pre{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}pre{background:var(--bg);padding:6px;overflow:auto;max-height:320px;margin:4px 0}
        dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}dt{color:var(--muted)}dd{margin:0}
        .badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;font-weight:600;vertical-align:middle}.badge.ok{background:var(--ok)}.badge.ko{background:var(--ko)}
        .pass{color:var(--ok)}.fail{color:var(--ko)}.flaky{color:var(--flaky)}.skip,.muted{color:var(--muted)}.error{color:var(--ko);font-weight:600;white-space:pre-wrap}
        .text{white-space:pre-wrap;overflow-wrap:anywhere}.snippet{color:var(--muted);font-size:12px;white-space:pre-wrap;max-height:4.5em;overflow:hidden}
        .chip{display:inline-block;background:var(--bg);border:1px solid var(--line);border-radius:10px;padding:0 6px;font-size:12px;margin-left:4px}.chip.flaky{border-color:var(--flaky);color:var(--flaky)}
        details.case{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:0 10px}details.case>summary{cursor:pointer;padding:6px 0}
        .run{border-left:3px solid var(--ok);padding:4px 10px;margin:8px 0}.run.ko{border-left-color:var(--ko)}.step{margin:6px 0;padding-top:4px;border-top:1px dashed var(--line)}
        .msg{display:grid;grid-template-columns:80px 1fr;gap:8px;margin:4px 0}.who,.label{color:var(--muted);font-size:12px}.label{text-transform:uppercase;letter-spacing:.04em}
        a.pass,a.fail,a.flaky{text-decoration:none}.msg.bot .text{background:var(--bg);border-radius:6px;padding:4px 8px}
        ul.items{list-style:none;padding-left:88px;margin:4px 0}.filters{position:sticky;top:0;background:#fff;padding:8px 0;z-index:1}#q{width:260px;padding:4px}
        svg.chart text{font-size:12px;fill:#1f2328}svg .track{fill:var(--bg)}svg rect.ok{fill:var(--ok)}svg rect.ko{fill:var(--ko)}svg .thr{stroke:#1f2328;stroke-dasharray:3 2}
        [hidden]{display:none!important}
        """;

    private const string Script = """
        const q=document.getElementById('q'),f=document.getElementById('only-failed');
        function apply(){const t=q.value.trim().toLowerCase();
        for(const e of document.querySelectorAll('[data-search]')){e.hidden=(t!==''&&!e.dataset.search.toLowerCase().includes(t))||(f.checked&&e.dataset.failed!=='1');}}
        q.addEventListener('input',apply);f.addEventListener('change',apply);
        """;
}
