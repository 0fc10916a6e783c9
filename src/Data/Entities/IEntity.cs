namespace Agents.Data.Entities;

/// <summary>A row with a time-ordered UUIDv7 key, which makes the id a keyset-paging cursor.</summary>
public interface IEntity
{
    Guid Id { get; }
}
