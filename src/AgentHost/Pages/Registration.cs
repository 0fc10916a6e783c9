using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Agents.AgentHost.Infrastructure;
using Agents.Data;
using Agents.Data.Entities;
using Agents.Plugins;
using Agents.Plugins.Links;
using Agents.Plugins.Orders;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Agents.AgentHost.Pages;

/// <summary>The registration form as posted (trimmed); <paramref name="ConsentSha256"/> is the hash of the consent text the page showed.</summary>
public sealed record RegistrationForm(string Name, string Email, string AddressLine, string PostalCode, string City, string Country, bool Consent, string? ConsentSha256 = null)
{
    public static RegistrationForm Read(IFormCollection form) => new(
        Field(form, "name"), Field(form, "email"), Field(form, "addressLine"), Field(form, "postalCode"), Field(form, "city"),
        Field(form, "country").ToUpperInvariant(), form["consent"].FirstOrDefault() is "on" or "true",
        Field(form, "consentSha256") is { Length: > 0 } hash ? hash : null);

    private static string Field(IFormCollection form, string name) => form[name].FirstOrDefault()?.Trim() ?? "";
}

/// <summary>The consent text as shown in one language for one merchant, its version and the SHA-256 (hex) of its exact characters.</summary>
public sealed record ConsentText(string Text, string Version, string Sha256);

public enum RegistrationOutcome
{
    Registered,
    Invalid,
    LinkUsed,
    AlreadyRegistered,
}

public sealed record RegistrationResult(RegistrationOutcome Outcome, IReadOnlyDictionary<string, FieldError> Errors, Customer? Customer = null);

/// <summary>
/// Validates a registration and stores it with the consent proof: the link is claimed, the customer
/// updated and the consent recorded in one transaction, so a failure anywhere leaves the link usable
/// and nothing half-written.
/// </summary>
public sealed partial class Registration(AgentsDbContext db, TenantContext tenant, SecureLinks links, ShopperTexts texts, TimeProvider clock)
{
    public const string ConsentPurpose = "registration";

    private const int MaxUserAgent = 512;

    public ConsentText Consent(string language, string merchantName)
    {
        var text = texts.Get(language, "consent.text", ("merchant", merchantName));
        return new ConsentText(text, texts.Get(language, "consent.version"), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }

    public async Task<RegistrationResult> RegisterAsync(SecureLink link, RegistrationForm form, ConsentText consent, IPAddress? ip, string? userAgent,
        CancellationToken cancellationToken)
    {
        var errors = Validate(form, consent);
        if (!errors.ContainsKey("email") && await EmailTakenAsync(link.CustomerId, form.Email, cancellationToken))
        {
            errors["email"] = new FieldError("email_taken");
        }

        if (errors.Count > 0)
        {
            return new RegistrationResult(RegistrationOutcome.Invalid, errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await links.ClaimAsync(link.Id, cancellationToken))
        {
            return new RegistrationResult(RegistrationOutcome.LinkUsed, errors);
        }

        // Locked: two register links of one customer used at once register once.
        var customer = await db.Customers
            .FromSql($"SELECT * FROM customers WHERE id = {link.CustomerId} AND merchant_id = {tenant.MerchantId!.Value} FOR UPDATE")
            .FirstAsync(cancellationToken);
        if (OrderService.IsRegistered(customer))
        {
            await transaction.RollbackAsync(cancellationToken);
            return new RegistrationResult(RegistrationOutcome.AlreadyRegistered, errors, customer);
        }

        var now = clock.GetUtcNow();
        customer.Name = form.Name;
        customer.Email = form.Email;
        customer.AddressLine = form.AddressLine;
        customer.PostalCode = form.PostalCode;
        customer.City = form.City;
        customer.Country = form.Country;
        customer.Language ??= link.Language;
        customer.RegisteredAt = now;
        customer.ConsentAt = now;
        db.CustomerConsents.Add(new CustomerConsent
        {
            CustomerId = customer.Id,
            Purpose = ConsentPurpose,
            Version = consent.Version,
            Language = link.Language,
            TextSha256 = consent.Sha256,
            Ip = ip is { IsIPv4MappedToIPv6: true } ? ip.MapToIPv4() : ip,
            UserAgent = userAgent is { Length: > MaxUserAgent } ? userAgent[..MaxUserAgent] : userAgent,
            GrantedAt = now,
        });

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ux_customers_email" })
        {
            // Another customer took the address between the check and the write.
            db.ChangeTracker.Clear();
            await transaction.RollbackAsync(cancellationToken);
            return new RegistrationResult(RegistrationOutcome.Invalid, new Dictionary<string, FieldError> { ["email"] = new("email_taken") });
        }

        await transaction.CommitAsync(cancellationToken);
        return new RegistrationResult(RegistrationOutcome.Registered, errors, customer);
    }

    private static Dictionary<string, FieldError> Validate(RegistrationForm form, ConsentText consent)
    {
        var errors = new Dictionary<string, FieldError>(StringComparer.Ordinal);
        Text("name", form.Name, 200);
        Text("email", form.Email, 254);
        Text("addressLine", form.AddressLine, 200);
        Text("postalCode", form.PostalCode, 20);
        Text("city", form.City, 100);
        Text("country", form.Country, 2);
        if (!errors.ContainsKey("email") && !Validation.IsEmail(form.Email))
        {
            errors["email"] = new FieldError("email");
        }

        if (!errors.ContainsKey("country") && !Country().IsMatch(form.Country))
        {
            errors["country"] = new FieldError("country");
        }

        if (!form.Consent)
        {
            errors["consent"] = new FieldError("consent");
        }
        else if (form.ConsentSha256 is { } shown && !string.Equals(shown, consent.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            // The text changed while the page was open: a consent counts only for the text the shopper read.
            errors["consent"] = new FieldError("consent_changed");
        }

        return errors;

        void Text(string field, string value, int max)
        {
            if (value.Length == 0)
            {
                errors[field] = new FieldError("required");
            }
            else if (value.Length > max)
            {
                errors[field] = new FieldError("too_long", max);
            }
            else if (value.Any(char.IsControl))
            {
                errors[field] = new FieldError("invalid");
            }
        }
    }

    private async Task<bool> EmailTakenAsync(Guid customerId, string email, CancellationToken cancellationToken)
    {
#pragma warning disable CA1862 // EF translates ToLower() to SQL lower(), the expression ux_customers_email indexes
        return await db.Customers.AnyAsync(c => c.Id != customerId && c.Email != null && c.Email.ToLower() == email.ToLower(), cancellationToken);
#pragma warning restore CA1862
    }

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex Country();
}
