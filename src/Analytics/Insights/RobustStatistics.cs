namespace Agents.Analytics.Insights;

/// <summary>Medians and median absolute deviations: the statistics a single wild day cannot drag.</summary>
internal static class RobustStatistics
{
    /// <summary>Scales a MAD to the standard deviation of a normal distribution.</summary>
    public const double MadToSigma = 1.4826;

    /// <summary>Scales a mean absolute deviation to the standard deviation of a normal distribution (√(π/2)).</summary>
    public const double MeanDeviationToSigma = 1.2533;

    /// <summary>The median of <paramref name="values"/>; sorts the span in place.</summary>
    public static double MedianInPlace(Span<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        values.Sort();
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    public static double Median(ReadOnlySpan<double> values)
    {
        var copy = values.ToArray();
        return MedianInPlace(copy);
    }

    /// <summary>
    /// A robust scale (σ-equivalent) around <paramref name="center"/>: the MAD, or the mean absolute
    /// deviation when more than half the values sit exactly on the center (sparse or flat series).
    /// Zero only when every value equals the center.
    /// </summary>
    public static double Scale(ReadOnlySpan<double> values, double center)
    {
        var deviations = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            deviations[i] = Math.Abs(values[i] - center);
        }

        var mad = MedianInPlace(deviations);
        if (mad > 0)
        {
            return MadToSigma * mad;
        }

        var mean = 0.0;
        foreach (var d in deviations)
        {
            mean += d;
        }

        return MeanDeviationToSigma * mean / Math.Max(1, deviations.Length);
    }

    /// <summary>
    /// Centred rolling median over <paramref name="window"/> points (odd), truncated at the edges.
    /// A median, unlike a moving average, keeps step changes sharp (August's dip starts on the 1st)
    /// and ignores outbreaks shorter than half the window.
    /// </summary>
    /// <remarks>
    /// With <paramref name="excludeCenter"/> each point's median leaves the point out, so the result is a
    /// prediction of it from its neighbours. Leaving it in makes the residual exactly 0 whenever the point
    /// happens to be its window's median (one day in fifteen), which piles residuals on 0, shrinks the MAD by
    /// about a tenth and doubles the false alarms.
    /// </remarks>
    public static double[] RollingMedian(ReadOnlySpan<double> values, int window, bool excludeCenter = false)
    {
        var half = window / 2;
        var result = new double[values.Length];
        var buffer = new double[2 * half + 1];
        for (var i = 0; i < values.Length; i++)
        {
            var from = Math.Max(0, i - half);
            var to = Math.Min(values.Length - 1, i + half);
            var length = 0;
            for (var j = from; j <= to; j++)
            {
                if (j != i || !excludeCenter)
                {
                    buffer[length++] = values[j];
                }
            }

            result[i] = MedianInPlace(buffer.AsSpan(0, length));
        }

        return result;
    }
}
