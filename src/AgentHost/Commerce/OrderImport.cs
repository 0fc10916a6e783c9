namespace Agents.AgentHost.Commerce;

/// <summary>A customer as the merchant's system knows them; null fields leave the stored value alone.</summary>
public sealed record ImportedCustomer(string ExternalId, string? Email, string? Phone, string? Name);

public sealed record ImportedItem(string Sku, string? Name, string? Category, int Quantity, decimal UnitPrice);

/// <summary>An order reported by the merchant's own system, already validated field by field.</summary>
public sealed record ImportedOrder(string ExternalId, ImportedCustomer Customer, DateTimeOffset CreatedAt, string Status, string Currency,
    string Channel, decimal Total, IReadOnlyList<ImportedItem> Items);

/// <summary>One record of an upload: a valid order, or why it is not one.</summary>
public readonly record struct OrderImportLine(int Line, ImportedOrder? Order, string? Error);

public sealed record OrderImportError(int Line, string Error);

/// <summary>Received = Inserted + Updated + Failed; Errors holds the first failures by line, ErrorsTruncated says there were more.</summary>
public sealed record OrderImportResult(int Received, int Inserted, int Updated, int Failed, IReadOnlyList<OrderImportError> Errors, bool ErrorsTruncated);
