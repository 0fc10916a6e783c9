namespace Agents.Analytics.Insights;

/// <summary>
/// Training rows for the churn model: features as of <paramref name="Cutoff"/> and whether the customer
/// then went the whole horizon without ordering. <paramref name="Churned"/>[i] belongs to <paramref name="Features"/>[i].
/// </summary>
public sealed record ChurnDataset(DateOnly Cutoff, IReadOnlyList<ChurnFeatures> Features, IReadOnlyList<bool> Churned)
{
    /// <summary>
    /// Looks back from <paramref name="today"/>: cutoff = today − horizon; every customer with an order
    /// before the cutoff is a row, labelled churned when they placed no order in [cutoff, today). The model
    /// trained on these rows is then applied to features as of today, predicting the next horizon.
    /// </summary>
    public static ChurnDataset Build(IEnumerable<CustomerOrder> orders, IEnumerable<(Guid CustomerId, DateOnly Since)> customers, DateOnly today, int horizonDays = 90)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonDays, 1);
        var cutoff = today.AddDays(-horizonDays);
        var history = new OrderHistory(cutoff);
        var returned = new HashSet<Guid>();
        foreach (var order in orders)
        {
            if (order.Day < cutoff)
            {
                history.Add(order);
            }
            else if (order.Day < today)
            {
                returned.Add(order.CustomerId);
            }
        }

        var features = history.Features(customers);
        return new ChurnDataset(cutoff, features, features.Select(f => !returned.Contains(f.CustomerId)).ToArray());
    }
}
