using System.Globalization;
using System.Text.Json;
using Agents.Data.Entities;
using Agents.Plugins;
using Agents.Plugins.Orders;

namespace Agents.AgentHost.Pages;

/// <summary>The page texts of one language (keys under <c>page.</c>) and how numbers and dates read in it.</summary>
public sealed class PageText(ShopperTexts texts, string language)
{
    public string Language { get; } = ShopperTexts.Language(language);

    public CultureInfo Culture => CultureInfo.GetCultureInfo(Language);

    public string this[string key] => texts.Get(Language, "page." + key);

    public string Get(string key, params (string Name, object? Value)[] values) => texts.Get(Language, "page." + key, values);

    public string Status(string status) => texts.Status(Language, status);

    public string Money(decimal amount, string currency) => $"{amount.ToString("N2", Culture)} {currency.Trim()}";

    public string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", Culture);

    // Consent records are evidence: the time too, and its zone, since the shop's zone is not known here.
    public string DateTime(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy, HH:mm", Culture) + " UTC";

    public string LanguageName(string? code) => code is "it" or "en" or "es" ? this["language_names." + code] : this["profile.none"];
}

/// <summary>What a secure page shows; <see cref="LinkPage"/> picks the component by type.</summary>
public abstract record PageModel;

/// <summary>A page that only says something: the title and body of <c>page.{Key}</c>, with their placeholders.</summary>
public sealed record MessageModel(string Key, params (string Name, object? Value)[] Values) : PageModel;

/// <summary>A field's error: a key under <c>page.errors</c>; <paramref name="Max"/> fills {max}.</summary>
public sealed record FieldError(string Key, int Max = 0);

public sealed record RegisterModel(RegistrationForm Form, IReadOnlyDictionary<string, FieldError> Errors, ConsentText Consent) : PageModel;

public sealed record ShippingAddress(string? Name, string? AddressLine, string? PostalCode, string? City, string? Country)
{
    public static ShippingAddress? Parse(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<ShippingAddress>(json, JsonSerializerOptions.Web);
}

/// <summary>An order as the pay page (with its button while payment is pending) or the order page (an invoice) shows it.</summary>
public sealed record OrderModel(OrderView View, decimal Subtotal, ShippingAddress? ShipTo, string Purpose, bool TestPayments) : PageModel
{
    public bool ForPayment => Purpose == LinkPurpose.Pay;

    public bool Payable => ForPayment && View.Status == OrderStatus.PendingPayment;
}

public sealed record ConsentRecord(string Purpose, string Version, string Language, DateTimeOffset GrantedAt);

public sealed record ProfileModel(
    string? Name, string? Email, string? Phone, string? AddressLine, string? PostalCode, string? City, string? Country, string? Language,
    DateTimeOffset? RegisteredAt, DateTimeOffset? ConsentAt, IReadOnlyList<ConsentRecord> Consents, int OrderCount, int LoyaltyPoints, string? Tier,
    FieldError? Error = null) : PageModel;
