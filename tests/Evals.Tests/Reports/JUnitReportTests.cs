using System.Xml.Linq;
using Agents.Evals.Reports;

namespace Agents.Evals.Tests.Reports;

public sealed class JUnitReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evals-junit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private XElement WriteAndLoad(Running.EvalRun run)
    {
        var path = Path.Combine(_dir, "junit.xml");
        JUnitReport.Write(run, path);
        return XDocument.Load(path).Root!;
    }

    [Fact]
    public void Write_SampleRun_CountsTestsFailuresErrors()
    {
        var root = WriteAndLoad(SampleRuns.Current());

        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal(("shop-basics", "16", "3", "1", "0", "150"),
            ((string?)root.Attribute("name"), (string?)root.Attribute("tests"), (string?)root.Attribute("failures"),
             (string?)root.Attribute("errors"), (string?)root.Attribute("skipped"), (string?)root.Attribute("time")));
        var suites = root.Elements("testsuite").ToList();
        Assert.Equal(["shop-basics.gpt", "shop-basics.local"], suites.Select(s => (string)s.Attribute("name")!));
        Assert.Equal(("8", "3", "1"), ((string?)suites[0].Attribute("tests"), (string?)suites[0].Attribute("failures"), (string?)suites[0].Attribute("errors")));
        Assert.Equal(("8", "0", "0"), ((string?)suites[1].Attribute("tests"), (string?)suites[1].Attribute("failures"), (string?)suites[1].Attribute("errors")));
    }

    [Fact]
    public void Write_RepeatedRuns_NamesCasesWithAttemptAndClassnameWithVariant()
    {
        var gpt = WriteAndLoad(SampleRuns.Current()).Elements("testsuite").First();

        var cases = gpt.Elements("testcase").ToList();
        Assert.All(cases, c => Assert.Equal("shop-basics.gpt", (string?)c.Attribute("classname")));
        Assert.Equal(["greets #1", "greets #2", "xss #1", "xss #2", "flaky-search #1", "flaky-search #2", "register #1", "register #2"],
            cases.Select(c => (string)c.Attribute("name")!));
        Assert.Equal("0.851", (string?)cases[0].Attribute("time"));
    }

    [Fact]
    public void Write_FailedCase_HasFailureElement()
    {
        var gpt = WriteAndLoad(SampleRuns.Current()).Elements("testsuite").First();

        var failure = gpt.Elements("testcase").Single(c => (string?)c.Attribute("name") == "xss #1").Element("failure");
        Assert.NotNull(failure);
        Assert.Equal("assertion", (string?)failure.Attribute("type"));
        Assert.Equal("language it: reply contains markup", (string?)failure.Attribute("message"));
        Assert.Contains("mostrami i prodotti", failure.Value, StringComparison.Ordinal);
        Assert.Contains("<script>", failure.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_RunError_HasErrorElement()
    {
        var gpt = WriteAndLoad(SampleRuns.Current()).Elements("testsuite").First();

        var register = gpt.Elements("testcase").Where(c => ((string)c.Attribute("name")!).StartsWith("register", StringComparison.Ordinal)).ToList();
        Assert.Null(register[0].Element("error"));
        Assert.Equal("no register link to open", (string?)register[1].Element("error")!.Attribute("message"));
        Assert.Null(register[1].Element("failure"));
    }

    [Fact]
    public void Write_SkippedRubric_PassesAndNotesItInSystemOut()
    {
        var gpt = WriteAndLoad(SampleRuns.Current()).Elements("testsuite").First();

        var greets = gpt.Elements("testcase").First();
        Assert.Null(greets.Element("failure"));
        Assert.Null(greets.Element("skipped"));
        Assert.Contains("skipped: rubric: greets warmly: no judge configured (line 13)", greets.Element("system-out")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Properties_DescribeTheVariant()
    {
        var gpt = WriteAndLoad(SampleRuns.Current()).Elements("testsuite").First();

        var properties = gpt.Element("properties")!.Elements("property").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
        Assert.Equal("openai", properties["provider"]);
        Assert.Equal("gpt-4o-mini", properties["model"]);
        Assert.Equal("shop-assistant@2;replies@1", properties["promptVersion"]);
        Assert.Equal("0.5", properties["passRate"]);
        Assert.Equal("0.8", properties["threshold"]);
    }

    [Fact]
    public void Write_VariantError_ReportsOneErroredTest()
    {
        var run = SampleRuns.Run(SampleRuns.Variant("broken", "openai", "gpt-x") with { Error = "API key refused" });

        var root = WriteAndLoad(run);

        Assert.Equal(("1", "1"), ((string?)root.Attribute("tests"), (string?)root.Attribute("errors")));
        var test = root.Element("testsuite")!.Element("testcase")!;
        Assert.Equal("API key refused", (string?)test.Element("error")!.Attribute("message"));
    }

    [Fact]
    public void Write_SingleRunAndControlCharacters_PlainNameAndValidXml()
    {
        var run = SampleRuns.Run(SampleRuns.Variant("v", "local", null, SampleRuns.Case("one", [], SampleRuns.Fail("bad \u0001 char 😀")))) with { Repeat = 1 };

        var test = WriteAndLoad(run).Element("testsuite")!.Element("testcase")!;

        Assert.Equal("one", (string?)test.Attribute("name"));
        Assert.Contains("bad \uFFFD char 😀", test.Element("failure")!.Value, StringComparison.Ordinal);
    }
}
