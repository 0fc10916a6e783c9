namespace Agents.Data;

/// <summary>
/// The merchant the current request or job acts for. Set once by authentication (or by a job
/// that claimed work for a merchant); <see cref="AgentsDbContext"/> filters every tenant query by it.
/// </summary>
public sealed class TenantContext
{
    public Guid? MerchantId { get; private set; }

    public void Set(Guid merchantId)
    {
        if (MerchantId is { } current && current != merchantId)
        {
            throw new InvalidOperationException("The tenant of a scope cannot change once set.");
        }

        MerchantId = merchantId;
    }
}
