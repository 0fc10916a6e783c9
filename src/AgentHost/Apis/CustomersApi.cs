using Agents.AgentHost.Auth;
using Agents.AgentHost.Infrastructure;
using Agents.Data;
using Agents.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Agents.AgentHost.Apis;

public sealed record CreateCustomerRequest(string? ExternalId, string? Phone, string? Email, string? Name, string? Language, string? Country);

public static class CustomersApi
{
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/customers").RequireAuthorization(AgentPolicies.SecretKey).WithTags("Customers");
        api.MapGet("/", ListCustomers).WithSummary("The merchant's customers, oldest first, keyset-paged with ?after=<id>.");
        api.MapGet("/{id:guid}", GetCustomer);
        api.MapPost("/", CreateCustomer).WithSummary("Create a customer known by phone (E.164), e-mail or your own id.");
        return app;
    }

    public static async Task<Ok<Page<CustomerDto>>> ListCustomers(AgentsDbContext db, int? limit, Guid? after, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Customers.ToPageAsync(limit, after, CustomerDto.From, cancellationToken));

    public static async Task<Results<Ok<CustomerDto>, NotFound>> GetCustomer(Guid id, AgentsDbContext db, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return customer is null ? TypedResults.NotFound() : TypedResults.Ok(CustomerDto.From(customer));
    }

    public static async Task<Results<Created<CustomerDto>, ValidationProblem>> CreateCustomer(
        CreateCustomerRequest request, AgentsDbContext db, CancellationToken cancellationToken)
    {
        var validation = new Validation().OneOf("language", request.Language, Validation.Languages, required: false);
        var phone = Validation.NormalizePhone(request.Phone);
        if (request.Phone is not null && phone is null)
        {
            validation.Add("phone", $"'{request.Phone}' is not a phone number in international format, e.g. +393331234567.");
        }

        if (request.Email is not null && !Validation.IsEmail(request.Email))
        {
            validation.Add("email", $"'{request.Email}' is not an e-mail address.");
        }

        if (request.Country is not null && (request.Country.Length != 2 || !request.Country.All(char.IsAsciiLetter)))
        {
            validation.Add("country", "'country' must be an ISO 3166-1 alpha-2 code such as IT.");
        }

        if (phone is null && request.Email is null && request.ExternalId is null)
        {
            validation.Add("phone", "A customer needs at least one of 'phone', 'email' or 'externalId'.");
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var customer = new Customer
        {
            ExternalId = request.ExternalId,
            Phone = phone,
            Email = request.Email?.Trim(),
            Name = request.Name?.Trim(),
            Language = request.Language,
            Country = request.Country?.ToUpperInvariant(),
        };
        db.Customers.Add(customer);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/customers/{customer.Id}", CustomerDto.From(customer));
    }
}
