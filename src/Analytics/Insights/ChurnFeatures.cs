using System.Runtime.InteropServices;

namespace Agents.Analytics.Insights;

/// <summary>A counted order reduced to what the models use: who, which UTC day, how much.</summary>
public readonly record struct CustomerOrder(Guid CustomerId, DateOnly Day, double Total);

/// <summary>
/// A customer's behaviour as of a day, from orders strictly before it.
/// </summary>
/// <param name="RecencyDays">Days from the last order to the as-of day (1 = ordered the day before).</param>
/// <param name="Frequency">Number of orders.</param>
/// <param name="Monetary">Total spent.</param>
/// <param name="TenureDays">Days since sign-up, or since the first order if that came earlier.</param>
/// <param name="Trend">Orders in the last 90 days minus orders in the 90 days before: a difference, not a
/// ratio, because a ratio of counts this small (0, 1, 2) swings from 0 to infinity.</param>
/// <param name="AvgDaysBetweenOrders">Mean gap between consecutive orders; with a single order, the days since
/// it (the gap is at least that long).</param>
public sealed record ChurnFeatures(Guid CustomerId, int RecencyDays, int Frequency, double Monetary, int TenureDays, int Trend, double AvgDaysBetweenOrders);

/// <summary>Builds <see cref="ChurnFeatures"/> in one pass over the orders.</summary>
public static class ChurnFeatureBuilder
{
    public const int TrendWindowDays = 90;

    /// <summary>
    /// Features as of <paramref name="asOf"/> for every listed customer with at least one order before it,
    /// ordered by customer id. Orders on or after <paramref name="asOf"/>, and orders of customers not in
    /// <paramref name="customers"/>, are ignored.
    /// </summary>
    public static IReadOnlyList<ChurnFeatures> Build(IEnumerable<CustomerOrder> orders, IEnumerable<(Guid CustomerId, DateOnly Since)> customers, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var history = new OrderHistory(asOf);
        foreach (var order in orders)
        {
            if (order.Day < asOf)
            {
                history.Add(order);
            }
        }

        return history.Features(customers);
    }
}

/// <summary>Running per-customer totals as of a day; orders must already be before it.</summary>
internal sealed class OrderHistory(DateOnly asOf)
{
    private struct Totals
    {
        public int Count, NewestAge, OldestAge, Recent, Previous;
        public double Spend;
    }

    private readonly Dictionary<Guid, Totals> _byCustomer = [];

    public void Add(in CustomerOrder order)
    {
        var age = asOf.DayNumber - order.Day.DayNumber;
        ref var totals = ref CollectionsMarshal.GetValueRefOrAddDefault(_byCustomer, order.CustomerId, out var seen);
        totals.NewestAge = seen ? Math.Min(totals.NewestAge, age) : age;
        totals.OldestAge = seen ? Math.Max(totals.OldestAge, age) : age;
        totals.Count++;
        totals.Spend += order.Total;
        if (age <= ChurnFeatureBuilder.TrendWindowDays)
        {
            totals.Recent++;
        }
        else if (age <= 2 * ChurnFeatureBuilder.TrendWindowDays)
        {
            totals.Previous++;
        }
    }

    public List<ChurnFeatures> Features(IEnumerable<(Guid CustomerId, DateOnly Since)> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var features = new List<ChurnFeatures>(_byCustomer.Count);
        var listed = new HashSet<Guid>();
        foreach (var (id, since) in customers)
        {
            if (!listed.Add(id) || !_byCustomer.TryGetValue(id, out var t))
            {
                continue;
            }

            var tenure = Math.Max(asOf.DayNumber - since.DayNumber, t.OldestAge);
            var gap = t.Count > 1 ? (t.OldestAge - t.NewestAge) / (double)(t.Count - 1) : t.NewestAge;
            features.Add(new ChurnFeatures(id, t.NewestAge, t.Count, t.Spend, tenure, t.Recent - t.Previous, gap));
        }

        features.Sort((a, b) => a.CustomerId.CompareTo(b.CustomerId));
        return features;
    }
}
