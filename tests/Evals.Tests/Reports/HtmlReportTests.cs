using System.Text.RegularExpressions;
using Agents.Evals.Reports;

namespace Agents.Evals.Tests.Reports;

public partial class HtmlReportTests
{
    [Fact]
    public void Render_ScriptInReply_IsEncodedNeverRaw()
    {
        var html = HtmlReport.Render(SampleRuns.Current());

        Assert.Contains("Ecco &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; altro", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("Smoke cases for the &lt;b&gt;shop&lt;/b&gt; assistant", html, StringComparison.Ordinal);

        // The only script element is the report's own filter.
        Assert.Single(Regex.Matches(html, "<script"));
    }

    [Fact]
    public void Render_SampleRun_ContainsEveryCaseAndTheOverallBadge()
    {
        var html = HtmlReport.Render(SampleRuns.Current());

        foreach (var id in new[] { "greets", "xss", "flaky-search", "register" })
        {
            Assert.Contains($"<code>{id}</code>", html, StringComparison.Ordinal);
        }

        Assert.Contains("FAIL</span></h1>", html, StringComparison.Ordinal);
        Assert.Contains("50% (4/8)", html, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"chart\"", html, StringComparison.Ordinal);
        Assert.Contains("Ciao!\nCome posso aiutarti?", html, StringComparison.Ordinal);
        Assert.Contains("{&quot;maxPrice&quot;:20,&quot;query&quot;:&quot;scarpe&quot;}", html, StringComparison.Ordinal);
        Assert.Contains("no judge configured", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"error\">no register link to open</p>", html, StringComparison.Ordinal);
        Assert.Contains("open register link · HTTP 200", html, StringComparison.Ordinal);
        Assert.Contains("chip flaky", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TwoVariants_HasComparisonTableHighlightingDisagreements()
    {
        var html = HtmlReport.Render(SampleRuns.Current());

        var table = html[html.IndexOf("<section id=\"compare\">", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Contains("<th>gpt</th><th>local</th>", table, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(table, "<tr class=\"disagree\""));
        Assert.Contains("flaky 1/2", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OneVariant_HasNoComparisonTable()
    {
        var run = SampleRuns.Current();

        var html = HtmlReport.Render(run with { Variants = [run.Variants[0]] });

        Assert.DoesNotContain("id=\"compare\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"changes\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SampleRun_ReferencesNoExternalResource()
    {
        var html = HtmlReport.Render(SampleRuns.Current(), SampleRuns.Baseline());

        Assert.DoesNotMatch(ExternalReference(), html);

        // The link the assistant issued is shown as text, not made clickable.
        Assert.Contains("<code>https://shop.example/r/abc</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithBaseline_ListsRegressedCaseWithBothReplies()
    {
        var html = HtmlReport.Render(SampleRuns.Current(), SampleRuns.Baseline());

        var changes = html[html.IndexOf("<section id=\"changes\">", StringComparison.Ordinal)..];
        changes = changes[..changes.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Contains("Regressed (1): <code>xss</code>", changes, StringComparison.Ordinal);
        Assert.Contains("Fixed (1): <code>greets</code>", changes, StringComparison.Ordinal);
        Assert.Contains("New (1): <code>register</code>", changes, StringComparison.Ordinal);
        Assert.Contains("Removed (1): <code>old-case</code>", changes, StringComparison.Ordinal);
        Assert.Contains("Ecco i prodotti di prima.", changes, StringComparison.Ordinal);
        Assert.Contains("Ecco &lt;script&gt;", changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_SampleRun_WritesTheRenderedPage()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("evals-html-").FullName, "report.html");
        try
        {
            await HtmlReport.WriteAsync(path, SampleRuns.Current(), null, TestContext.Current.CancellationToken);

            Assert.Equal(HtmlReport.Render(SampleRuns.Current()), await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [GeneratedRegex("""(src|href)\s*=\s*["']?\s*(https?:)?//|url\(""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
