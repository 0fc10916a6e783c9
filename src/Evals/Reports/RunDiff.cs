using Agents.Evals.Running;

namespace Agents.Evals.Reports;

/// <summary>What changed between a previous run and this one, per variant present in both.</summary>
public sealed record RunDiff(
    IReadOnlyList<VariantDiff> Variants,
    IReadOnlyList<string> AddedVariants,
    IReadOnlyList<string> RemovedVariants)
{
    public bool HasRegressions => Variants.Any(v => v.Regressed.Count > 0);
}

/// <summary>Case ids by change; a case passes when every one of its runs passed.</summary>
public sealed record VariantDiff(
    string Variant,
    double BaselinePassRate,
    double PassRate,
    IReadOnlyList<string> Regressed,
    IReadOnlyList<string> Fixed,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed);

public static class Diff
{
    public static RunDiff Compare(EvalRun baseline, EvalRun current)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var before = baseline.Variants.DistinctBy(v => v.Name).ToDictionary(v => v.Name, StringComparer.Ordinal);
        var now = current.Variants.DistinctBy(v => v.Name).ToList();

        var variants = now.Where(v => before.ContainsKey(v.Name)).Select(v => CompareVariant(before[v.Name], v, current.Filter is not null)).ToList();
        var nowNames = now.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        return new RunDiff(
            variants,
            now.Where(v => !before.ContainsKey(v.Name)).Select(v => v.Name).ToList(),
            baseline.Variants.Select(v => v.Name).Distinct(StringComparer.Ordinal).Where(n => !nowNames.Contains(n)).ToList());
    }

    private static VariantDiff CompareVariant(VariantResult baseline, VariantResult current, bool filtered)
    {
        var beforeList = Outcomes(baseline, current);
        var nowList = Outcomes(current, baseline);
        var before = beforeList.ToDictionary(o => o.Id, o => o.Passed, StringComparer.Ordinal);
        var now = nowList.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var regressed = new List<string>();
        var fixedIds = new List<string>();
        var added = new List<string>();
        foreach (var (id, passed) in nowList)
        {
            if (!before.TryGetValue(id, out var passedBefore))
            {
                added.Add(id);
            }
            else if (passedBefore && !passed)
            {
                regressed.Add(id);
            }
            else if (!passedBefore && passed)
            {
                fixedIds.Add(id);
            }
        }

        // A filtered run leaves cases out on purpose: they were not run, not removed.
        var removed = filtered ? [] : beforeList.Where(o => !now.Contains(o.Id)).Select(o => o.Id).ToList();
        return new VariantDiff(current.Name, baseline.PassRate, current.PassRate, regressed, fixedIds, added, removed);
    }

    /// <summary>
    /// Pass/fail per case id, in the variant's order. A variant that could not run at all may hold no
    /// cases; it then fails every case the other side has, so a broken variant shows as regressions
    /// rather than as removed cases a CI gate would let through.
    /// </summary>
    private static List<(string Id, bool Passed)> Outcomes(VariantResult variant, VariantResult other)
    {
        var cases = variant.Error is null ? variant.Cases : variant.Cases.Concat(other.Cases);
        // A failure the suite marks as a known issue is not a regression; the case reads as passing for the diff.
        return cases.DistinctBy(c => c.Id).Select(c => (c.Id, variant.Error is null && (c.Passed || c.KnownIssue is not null))).ToList();
    }
}
