namespace Agents.Data.Entities;

/// <summary>A row that belongs to one merchant; queries over it are always filtered by merchant.</summary>
public interface ITenantEntity
{
    Guid MerchantId { get; set; }
}
