using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Agents.Evals.Assertions;
using Agents.Evals.Running;

namespace Agents.Evals.Reports;

/// <summary>JUnit XML for CI test tabs: one test suite per variant, one test case per case run.</summary>
public static class JUnitReport
{
    public static void Write(EvalRun run, string path)
    {
        var document = Build(run);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var writer = XmlWriter.Create(full, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) });
        document.Save(writer);
    }

    internal static XDocument Build(EvalRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var suites = run.Variants.Select(v => Suite(run, v)).ToList();
        var root = new XElement("testsuites", new XAttribute("name", Clean(run.Suite)));
        Counts(root, suites.Elements("testcase"), (run.FinishedAt - run.StartedAt).TotalSeconds);
        root.Add(suites);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    private static XElement Suite(EvalRun run, VariantResult variant)
    {
        var name = Clean($"{run.Suite}.{variant.Name}");
        var cases = new List<XElement>();
        var seconds = 0.0;
        foreach (var c in variant.Cases)
        {
            if (c.Runs.Count == 0)
            {
                // A case without runs still has to show up red, not vanish from the CI count.
                cases.Add(Case(name, c.Id, 0, new XElement("error", new XAttribute("type", "error"),
                    new XAttribute("message", Clean(variant.Error ?? "the case did not run")))));
                continue;
            }

            var numbered = run.Repeat > 1 || c.Runs.Count > 1;
            foreach (var r in c.Runs)
            {
                seconds += r.LatencyMs / 1000;
                cases.Add(Case(name, numbered ? $"{c.Id} #{r.Attempt}" : c.Id, r.LatencyMs / 1000, Known(c, r) ?? Outcome(variant, r), Skipped(r)));
            }
        }

        if (variant.Error is not null && cases.Count == 0)
        {
            cases.Add(Case(name, $"({variant.Name})", 0, new XElement("error", new XAttribute("type", "error"),
                new XAttribute("message", Clean(variant.Error)))));
        }

        var suite = new XElement("testsuite", new XAttribute("name", name));
        Counts(suite, cases, seconds);
        suite.Add(
            new XAttribute("timestamp", run.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            new XAttribute("hostname", Clean(run.Machine)));
        suite.Add(new XElement("properties",
            Property("provider", variant.Provider),
            Property("model", variant.Model),
            Property("promptVersion", variant.PromptVersion),
            Property("passRate", variant.PassRate.ToString("0.####", CultureInfo.InvariantCulture)),
            Property("threshold", variant.Threshold.ToString("0.####", CultureInfo.InvariantCulture)),
            Property("metThreshold", variant.MetThreshold ? "true" : "false"),
            Property("variantError", variant.Error)));
        suite.Add(cases);
        return suite;
    }

    private static void Counts(XElement element, IEnumerable<XElement> cases, double seconds)
    {
        var list = cases.ToList();
        element.Add(
            new XAttribute("tests", list.Count),
            new XAttribute("failures", list.Count(c => c.Element("failure") is not null)),
            new XAttribute("errors", list.Count(c => c.Element("error") is not null)),
            new XAttribute("skipped", list.Count(c => c.Element("skipped") is not null)),
            new XAttribute("time", Seconds(seconds)));
    }

    private static XElement Case(string classname, string name, double seconds, params object?[] content) =>
        new("testcase",
            new XAttribute("classname", classname),
            new XAttribute("name", Clean(name)),
            new XAttribute("time", Seconds(seconds)),
            content);

    /// <summary>An error (the run or variant could not execute) outranks failed assertions: JUnit allows one of the two.</summary>
    private static XElement? Outcome(VariantResult variant, CaseRun run)
    {
        var failed = run.Steps.SelectMany(s => s.Assertions.Where(a => a.Outcome == AssertionOutcome.Failed).Select(a => (Step: s, Assertion: a))).ToList();
        var errors = new[] { variant.Error, run.Error }.Concat(run.Steps.Select(s => s.Error)).OfType<string>().ToList();
        if (errors.Count == 0 && run.Passed)
        {
            return null;
        }

        var body = new StringBuilder();
        foreach (var error in errors)
        {
            body.Append("error: ").AppendLine(error);
        }

        foreach (var (step, assertion) in failed)
        {
            body.Append(CultureInfo.InvariantCulture, $"✗ {assertion.Description}: {assertion.Message} (line {assertion.Line})")
                .AppendLine()
                .Append(CultureInfo.InvariantCulture, $"  {step.Kind} (line {step.Line}): {step.Input}")
                .AppendLine();
            if (step.Observation is { } turn)
            {
                body.Append("  reply: ").AppendLine(turn.Reply);
            }
        }

        var message = errors.Count > 0 ? errors[0]
            : failed.Count == 1 ? $"{failed[0].Assertion.Description}: {failed[0].Assertion.Message}"
            : $"{failed.Count} assertions failed";
        return new XElement(errors.Count > 0 ? "error" : "failure",
            new XAttribute("message", Clean(message)),
            new XAttribute("type", errors.Count > 0 ? "error" : "assertion"),
            Clean(body.ToString()));
    }

    /// <summary>Skipped assertions (a rubric with no judge) neither pass nor fail the case, but CI should say they did not run.</summary>
    /// <summary>A failing run of a case the suite marks as a known issue is reported as skipped, with the issue, so CI stays green and the issue visible.</summary>
    private static XElement? Known(CaseResult result, CaseRun run) =>
        result.KnownIssue is null || run.Passed ? null : new XElement("skipped", new XAttribute("message", Clean($"known issue: {result.KnownIssue}")));

    private static XElement? Skipped(CaseRun run)
    {
        var lines = run.Steps.SelectMany(s => s.Assertions)
            .Where(a => a.Outcome == AssertionOutcome.Skipped)
            .Select(a => string.Create(CultureInfo.InvariantCulture, $"skipped: {a.Description}: {a.Message} (line {a.Line})"))
            .ToList();
        return lines.Count == 0 ? null : new XElement("system-out", Clean(string.Join('\n', lines)));
    }

    private static XElement? Property(string name, string? value) =>
        value is null ? null : new XElement("property", new XAttribute("name", name), new XAttribute("value", Clean(value)));

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Model replies may carry control characters XML 1.0 cannot hold; the writer would throw on them.</summary>
    private static string Clean(string text)
    {
        if (text.All(XmlConvert.IsXmlChar))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i]))
            {
                sb.Append(text[i]);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                sb.Append(text, i++, 2);
            }
            else
            {
                sb.Append('\uFFFD');
            }
        }

        return sb.ToString();
    }
}
