using Agents.Evals.Reports;

namespace Agents.Evals.Tests.Reports;

public class DiffTests
{
    [Fact]
    public void Compare_BaselineAndCurrent_FindsRegressedFixedAddedRemoved()
    {
        var diff = Diff.Compare(SampleRuns.Baseline(), SampleRuns.Current());

        Assert.True(diff.HasRegressions);
        var gpt = diff.Variants.Single(v => v.Variant == "gpt");
        Assert.Equal(["xss"], gpt.Regressed);
        Assert.Equal(["greets"], gpt.Fixed);
        Assert.Equal(["register"], gpt.Added);
        Assert.Equal(["old-case"], gpt.Removed);
        var local = diff.Variants.Single(v => v.Variant == "local");
        Assert.Empty(local.Regressed.Concat(local.Fixed).Concat(local.Added).Concat(local.Removed));
        Assert.Empty(diff.AddedVariants);
        Assert.Empty(diff.RemovedVariants);
    }

    [Fact]
    public void Compare_FilteredRun_ListsNoRemovedCases()
    {
        var diff = Diff.Compare(SampleRuns.Baseline(), SampleRuns.Current() with { Filter = "smalltalk" });

        Assert.Empty(diff.Variants.Single(v => v.Variant == "gpt").Removed);
    }

    [Fact]
    public void Compare_SameRun_HasNoRegressions()
    {
        var diff = Diff.Compare(SampleRuns.Current(), SampleRuns.Current());

        Assert.False(diff.HasRegressions);
    }

    [Fact]
    public void Compare_VariantThatCouldNotRun_RegressesEveryPassingCase()
    {
        var baseline = SampleRuns.Current();
        var broken = baseline with { Variants = [baseline.Variants[0], baseline.Variants[1] with { Cases = [], Error = "key refused" }] };

        var diff = Diff.Compare(baseline, broken);

        var local = diff.Variants.Single(v => v.Variant == "local");
        Assert.Equal(["greets", "xss", "flaky-search", "register"], local.Regressed);
        Assert.Empty(local.Removed);
    }

    [Fact]
    public void Compare_VariantRenamed_ListsAddedAndRemovedVariants()
    {
        var baseline = SampleRuns.Current();
        var current = baseline with { Variants = [baseline.Variants[0] with { Name = "gpt-next" }, baseline.Variants[1]] };

        var diff = Diff.Compare(baseline, current);

        Assert.Equal(["gpt-next"], diff.AddedVariants);
        Assert.Equal(["gpt"], diff.RemovedVariants);
        Assert.Single(diff.Variants);
    }
}
