using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agents.AgentHost.Commerce;
using Agents.AgentHost.Infrastructure;
using Agents.Data.Entities;

namespace Agents.AgentHost.Apis;

/// <summary>One record of an upload to an <see cref="ImportedOrder"/>, or the reasons it is not one (at most five, values clipped).</summary>
public static partial class OrdersBulkApi
{
    private sealed record Rules(string Currency, DateTimeOffset Latest);

    private static OrderImportLine Validate(int line, JsonElement element, Rules rules)
    {
        OrderImportRequest request;
        try
        {
            request = element.Deserialize<OrderImportRequest>(JsonSerializerOptions.Web)!;
        }
        catch (JsonException e)
        {
            return new OrderImportLine(line, null, $"'{e.Path?.TrimStart('$', '.')}' has the wrong type.");
        }

        var errors = new List<string>();
        var externalId = Text(errors, "externalId", request.ExternalId, OrderImporter.MaxExternalIdLength, required: true);
        if (externalId is not null && !OrderImporter.IsExternalId(externalId))
        {
            errors.Add("'externalId' may hold only letters, digits, '.', '_' and '-' (it becomes the order number, in capitals).");
        }

        var customer = Customer(errors, request.Customer);
        var createdAt = CreatedAt(errors, request.CreatedAt, rules);

        var status = request.Status?.Trim().ToLowerInvariant();
        if (status is null || !OrderStatus.All.Contains(status))
        {
            errors.Add($"'status' must be one of {string.Join(", ", OrderStatus.All)}{Got(request.Status)}.");
        }

        var currency = request.Currency?.Trim().ToUpperInvariant();
        if (currency is null || !CurrencyCode().IsMatch(currency))
        {
            errors.Add($"'currency' must be a 3-letter ISO 4217 code such as {rules.Currency}{Got(request.Currency)}.");
        }
        else if (currency != rules.Currency)
        {
            // Analytics add totals up as the shop's currency; a foreign one would be summed as if it were.
            errors.Add($"'currency' must be the shop's currency, {rules.Currency}; got '{currency}'.");
        }

        var channel = string.IsNullOrWhiteSpace(request.Channel) ? "web" : request.Channel.Trim().ToLowerInvariant();
        if (!Channels.Contains(channel))
        {
            errors.Add($"'channel' must be one of {string.Join(", ", Channels)} (default web){Got(request.Channel)}.");
        }

        var items = Items(errors, request.Items);
        var total = items.Sum(i => i.Quantity * i.UnitPrice);
        if (total > MaxAmount)
        {
            errors.Add($"The order total (Σ quantity × unitPrice) must be at most {MaxAmount:N2}.");
        }

        if (errors.Count > 0)
        {
            var message = string.Join(" ", errors.Take(MaxMessagesPerLine));
            return new OrderImportLine(line, null, errors.Count > MaxMessagesPerLine ? $"{message} (and {errors.Count - MaxMessagesPerLine} more)" : message);
        }

        return new OrderImportLine(line, new ImportedOrder(externalId!, customer!, createdAt!.Value, status!, currency!, channel, total, items), null);
    }

    private static ImportedCustomer? Customer(List<string> errors, OrderImportCustomerRequest? customer)
    {
        if (customer is null)
        {
            errors.Add("'customer' is required: { externalId, email?, phone?, name? }.");
            return null;
        }

        var externalId = Text(errors, "customer.externalId", customer.ExternalId, 200, required: true);
        var email = Text(errors, "customer.email", customer.Email, 254);
        if (email is not null && !Validation.IsEmail(email))
        {
            errors.Add($"'customer.email' is not an e-mail address{Got(email)}.");
        }

        var phone = Validation.NormalizePhone(customer.Phone);
        if (!string.IsNullOrWhiteSpace(customer.Phone) && phone is null)
        {
            errors.Add($"'customer.phone' must be a phone number in international format (E.164), e.g. +393331234567{Got(customer.Phone)}.");
        }

        var name = Text(errors, "customer.name", customer.Name, 200);
        return externalId is null ? null : new ImportedCustomer(externalId, email, phone, name);
    }

    private static DateTimeOffset? CreatedAt(List<string> errors, string? value, Rules rules)
    {
        if (value is null || !IsoDateTime().IsMatch(value)
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            errors.Add($"'createdAt' must be an ISO 8601 date and time with its offset, e.g. 2025-03-14T09:30:00+01:00 or 2025-03-14T08:30:00Z{Got(value)}.");
            return null;
        }

        if (at > rules.Latest)
        {
            errors.Add($"'createdAt' is in the future{Got(value)}.");
        }
        else if (at.Year < 2000)
        {
            errors.Add($"'createdAt' must be in the year 2000 or later{Got(value)}.");
        }

        // Npgsql writes timestamptz from UTC values only.
        return at.ToUniversalTime();
    }

    private static List<ImportedItem> Items(List<string> errors, List<OrderImportItemRequest?>? items)
    {
        if (items is not { Count: > 0 })
        {
            errors.Add("'items' must hold at least one item: { sku, name?, category?, quantity, unitPrice }.");
            return [];
        }

        if (items.Count > MaxItemsPerOrder)
        {
            errors.Add($"'items' holds {items.Count} items; an order takes at most {MaxItemsPerOrder:N0}.");
            return [];
        }

        var valid = new List<ImportedItem>(items.Count);
        for (var i = 0; i < items.Count && errors.Count <= MaxMessagesPerLine; i++)
        {
            var field = $"items[{i}]";
            if (items[i] is not { } item)
            {
                errors.Add($"'{field}' must be an object.");
                continue;
            }

            var before = errors.Count;
            var sku = Text(errors, $"{field}.sku", item.Sku, 100, required: true);
            var name = Text(errors, $"{field}.name", item.Name, 500);
            var category = Text(errors, $"{field}.category", item.Category, 100);
            if (item.Quantity is not (> 0 and <= 1_000_000))
            {
                errors.Add($"'{field}.quantity' must be a whole number from 1 to 1,000,000.");
            }

            if (item.UnitPrice is not { } price || price < 0 || price > MaxAmount)
            {
                errors.Add($"'{field}.unitPrice' must be a number from 0 to {MaxAmount:N2}.");
            }
            else if (price != decimal.Round(price, 2))
            {
                errors.Add($"'{field}.unitPrice' must have at most 2 decimals; got {price.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (errors.Count == before)
            {
                valid.Add(new ImportedItem(sku!, name, category, item.Quantity!.Value, item.UnitPrice!.Value));
            }
        }

        return valid;
    }

    /// <summary>Trimmed text, null when blank; PostgreSQL text cannot hold NUL.</summary>
    private static string? Text(List<string> errors, string field, string? value, int maxLength, bool required = false)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors.Add($"'{field}' is required.");
            }

            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add($"'{field}' must be at most {maxLength} characters.");
            return null;
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add($"'{field}' must not contain NUL characters.");
            return null;
        }

        return text;
    }

    /// <summary>Echoes a rejected value, clipped, so a bad file cannot inflate the response.</summary>
    private static string Got(string? value) => value is null ? "" : $"; got '{(value.Length > 40 ? value[..40] + "…" : value)}'";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex IsoDateTime();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}
