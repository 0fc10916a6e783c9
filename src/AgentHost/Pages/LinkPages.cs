using System.Text.Json;
using Agents.AgentHost.Commerce;
using Agents.Data;
using Agents.Data.Entities;
using Agents.Plugins;
using Agents.Plugins.Cart;
using Agents.Plugins.Links;
using Agents.Plugins.Loyalty;
using Agents.Plugins.Orders;
using Agents.Plugins.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Agents.AgentHost.Pages;

public sealed record LinkPageServices(
    HttpContext Http, AgentsDbContext Db, SecureLinks Links, ShopperTexts Texts, OrderService Orders, PaymentService Payments, LoyaltyLedger Loyalty,
    Carts Carts, Registration Registration, CustomerErasure Erasure, ConversationNotifier Notifier);

/// <summary>
/// The secure pages behind the links the chat hands out: server-rendered HTML in the link's
/// language, no JavaScript. The unguessable token in the path is the only credential, so the
/// endpoints are anonymous and need no antiforgery token; single-use links are claimed atomically.
/// </summary>
public static class LinkPages
{
    public static IServiceCollection AddLinkPages(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddScoped<Registration>();
        services.AddScoped<CustomerErasure>();
        return services;
    }

    public static IEndpointRouteBuilder MapLinkPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup(SecureLinks.PathPrefix.TrimEnd('/'))
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription()
            .AddEndpointFilter(PrivatePageHeadersAsync);
        pages.MapGet("/{token}", ShowAsync);
        pages.MapPost("/{token}", SubmitAsync);
        return app;
    }

    public static async Task<RazorComponentResult<LinkPage>> ShowAsync(string token, [AsParameters] LinkPageServices services, CancellationToken cancellationToken)
    {
        var (page, refused) = await OpenAsync(token, services, cancellationToken);
        if (page is null)
        {
            return refused!;
        }

        switch (page.Link.Purpose)
        {
            case LinkPurpose.Register:
                var customer = await services.Db.Customers.AsNoTracking().FirstAsync(c => c.Id == page.Link.CustomerId, cancellationToken);
                if (OrderService.IsRegistered(customer))
                {
                    return page.Render(new MessageModel("register.already"));
                }

                // Whatever the shop already knows (a name from WhatsApp, an earlier address) is filled in.
                var known = new RegistrationForm(customer.Name ?? "", customer.Email ?? "", customer.AddressLine ?? "", customer.PostalCode ?? "",
                    customer.City ?? "", customer.Country?.Trim() ?? "", false);
                return page.Render(new RegisterModel(known, new Dictionary<string, FieldError>(), services.Registration.Consent(page.Text.Language, page.Merchant.Name)));
            case LinkPurpose.Pay or LinkPurpose.Order:
                return await OrderPageAsync(page, services, StatusCodes.Status200OK, cancellationToken);
            default:
                return page.Render(await ProfileAsync(page, services, null, cancellationToken));
        }
    }

    public static async Task<Results<RazorComponentResult<LinkPage>, FileContentHttpResult>> SubmitAsync(
        string token, [AsParameters] LinkPageServices services, CancellationToken cancellationToken)
    {
        var (page, refused) = await OpenAsync(token, services, cancellationToken);
        if (page is null)
        {
            return refused!;
        }

        if (page.Link.Purpose == LinkPurpose.Order)
        {
            // The order page is read-only: a POST there changes nothing and says so.
            services.Http.Response.Headers.Allow = HttpMethods.Get;
            return page.Render(new MessageModel("method_not_allowed"), StatusCodes.Status405MethodNotAllowed);
        }

        // Read here rather than bound: the pay form has no fields, and minimal APIs refuse the empty body a browser posts for it.
        var request = services.Http.Request;
        var form = request.HasFormContentType ? await request.ReadFormAsync(cancellationToken) : FormCollection.Empty;
        return page.Link.Purpose switch
        {
            LinkPurpose.Register => await RegisterAsync(page, form, services, cancellationToken),
            LinkPurpose.Pay => await PayAsync(page, services, cancellationToken),
            _ => await ProfileActionAsync(page, form, services, cancellationToken),
        };
    }

    private static async Task<RazorComponentResult<LinkPage>> RegisterAsync(OpenPage page, IFormCollection form, LinkPageServices services, CancellationToken cancellationToken)
    {
        var posted = RegistrationForm.Read(form);
        var consent = services.Registration.Consent(page.Text.Language, page.Merchant.Name);
        var userAgent = services.Http.Request.Headers.UserAgent.ToString();
        var result = await services.Registration.RegisterAsync(page.Link, posted, consent, services.Http.Connection.RemoteIpAddress,
            userAgent.Length == 0 ? null : userAgent, cancellationToken);
        switch (result.Outcome)
        {
            case RegistrationOutcome.Invalid:
                return page.Render(new RegisterModel(posted, result.Errors, consent), StatusCodes.Status400BadRequest);
            case RegistrationOutcome.LinkUsed:
                return page.Render(new MessageModel("used"), StatusCodes.Status410Gone);
            case RegistrationOutcome.AlreadyRegistered:
                return page.Render(new MessageModel("register.already"), StatusCodes.Status409Conflict);
        }

        var customer = result.Customer!;
        var language = page.Text.Language;
        var cart = await services.Carts.ViewAsync(customer.Id, language, cancellationToken);
        var message = cart.ItemCount > 0
            ? services.Texts.Get(language, "chat.registered_cart", ("name", customer.Name), ("items", cart.ItemCount),
                ("total", cart.Total.ToString("N2", page.Text.Culture)), ("currency", cart.Currency))
            : services.Texts.Get(language, "chat.registered", ("name", customer.Name));
        await services.Notifier.NotifyAsync(page.Link.ConversationId, message, language, cancellationToken);
        return page.Render(new MessageModel("register.done", ("name", customer.Name)));
    }

    private static async Task<RazorComponentResult<LinkPage>> PayAsync(OpenPage page, LinkPageServices services, CancellationToken cancellationToken)
    {
        var order = await FindOrderAsync(page.Link, services.Db, cancellationToken);
        if (order is null)
        {
            return page.Render(new MessageModel("not_found"), StatusCodes.Status404NotFound);
        }

        // Checked before the claim: a paid or cancelled order leaves the link as it was.
        if (order.Status != OrderStatus.PendingPayment)
        {
            return await OrderPageAsync(page, services, StatusCodes.Status409Conflict, cancellationToken);
        }

        // The claim settles a race on this link; the lock, one between two pay links of the same order.
        if (!await services.Links.ClaimAsync(page.Link.Id, cancellationToken))
        {
            return page.Render(new MessageModel("used"), StatusCodes.Status410Gone);
        }

        await using (await Infrastructure.AdvisoryLock.AcquireAsync(services.Db, Infrastructure.AdvisoryLock.OrderPayment, order.Id, cancellationToken))
        {
            var current = await services.Db.Orders.Where(o => o.Id == order.Id).Select(o => o.Status).FirstAsync(cancellationToken);
            var (attempt, transition) = current == OrderStatus.PendingPayment ? await services.Payments.PayAsync(order, cancellationToken) : default;
            if (attempt is not { Succeeded: true })
            {
                // Nothing was charged (declined, or paid meanwhile through another link): the link works as before.
                await services.Db.SecureLinks.Where(l => l.Id == page.Link.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, (DateTimeOffset?)null), cancellationToken);
                return attempt is null
                    ? await OrderPageAsync(page, services, StatusCodes.Status409Conflict, cancellationToken)
                    : page.Render(new MessageModel("pay.failed"), StatusCodes.Status402PaymentRequired);
            }

            if (transition is not { Outcome: TransitionOutcome.Moved })
            {
                return await OrderPageAsync(page, services, StatusCodes.Status409Conflict, cancellationToken);
            }
        }

        var points = OrderService.PointsFor(order.Total, page.Merchant.LoyaltyPointsPerUnit);
        var language = page.Text.Language;
        var total = order.Total.ToString("N2", page.Text.Culture);
        await services.Notifier.NotifyAsync(page.Link.ConversationId ?? order.ConversationId,
            services.Texts.Get(language, "chat.paid", ("order", order.Number), ("total", total), ("currency", order.Currency.Trim()), ("points", points)),
            language, cancellationToken);
        return page.Render(new MessageModel("pay.done", ("order", order.Number), ("total", page.Text.Money(order.Total, order.Currency)), ("points", points)));
    }

    private static async Task<Results<RazorComponentResult<LinkPage>, FileContentHttpResult>> ProfileActionAsync(
        OpenPage page, IFormCollection form, LinkPageServices services, CancellationToken cancellationToken)
    {
        var customerId = page.Link.CustomerId;
        switch (form["action"].FirstOrDefault())
        {
            case "export":
                var export = await services.Erasure.ExportAsync(customerId, page.Merchant.Name, cancellationToken);
                return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(export, CustomerErasure.ExportJson), "application/json",
                    $"{page.Merchant.Slug}-personal-data-{export.ExportedAt:yyyy-MM-dd}.json");
            case "erase" when form["confirm"].FirstOrDefault() is not ("on" or "true"):
                return page.Render(await ProfileAsync(page, services, new FieldError("erase_confirm"), cancellationToken), StatusCodes.Status400BadRequest);
            case "erase":
                // A second erase that waited for the first finds nothing left to erase and sends no second message.
                if (await services.Erasure.EraseAsync(customerId, page.Link.Id, cancellationToken))
                {
                    await services.Notifier.NotifyAsync(page.Link.ConversationId, services.Texts.Get(page.Text.Language, "chat.erased"), page.Text.Language, cancellationToken);
                }

                return page.Render(new MessageModel("profile.erased"));
            default:
                return page.Render(await ProfileAsync(page, services, new FieldError("action"), cancellationToken), StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<RazorComponentResult<LinkPage>> OrderPageAsync(OpenPage page, LinkPageServices services, int status, CancellationToken cancellationToken)
    {
        var order = await FindOrderAsync(page.Link, services.Db, cancellationToken);
        if (order is null)
        {
            return page.Render(new MessageModel("not_found"), StatusCodes.Status404NotFound);
        }

        return page.Render(new OrderModel(services.Orders.View(order, page.Text.Language), order.Subtotal, ShippingAddress.Parse(order.ShippingAddress),
            page.Link.Purpose, services.Payments.ProviderName == "test"), status);
    }

    private static async Task<ProfileModel> ProfileAsync(OpenPage page, LinkPageServices services, FieldError? error, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var customerId = page.Link.CustomerId;
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == customerId, cancellationToken);
        var consents = await db.CustomerConsents.AsNoTracking().Where(c => c.CustomerId == customerId).OrderBy(c => c.GrantedAt).ThenBy(c => c.Id)
            .Select(c => new ConsentRecord(c.Purpose, c.Version, c.Language, c.GrantedAt)).ToListAsync(cancellationToken);
        var orderCount = await db.Orders.CountAsync(o => o.CustomerId == customerId, cancellationToken);
        var loyalty = await services.Loyalty.StatusAsync(customerId, 0, cancellationToken);
        return new ProfileModel(customer.Name, customer.Email, customer.Phone, customer.AddressLine, customer.PostalCode, customer.City, customer.Country?.Trim(),
            customer.Language, customer.RegisteredAt, customer.ConsentAt, consents, orderCount, loyalty.Points, loyalty.Tier, error);
    }

    private static Task<Order?> FindOrderAsync(SecureLink link, AgentsDbContext db, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking().Include(o => o.Items.OrderBy(i => i.Id))
            .FirstOrDefaultAsync(o => o.Id == link.OrderId && o.CustomerId == link.CustomerId, cancellationToken);

    /// <summary>The link a token opens, or the page that says why it opens nothing (404 unknown, 410 expired or used).</summary>
    private static async Task<(OpenPage? Page, RazorComponentResult<LinkPage>? Refused)> OpenAsync(string token, LinkPageServices services, CancellationToken cancellationToken)
    {
        var lookup = await services.Links.ResolveAsync(token, cancellationToken);
        if (lookup.Link is not { } link)
        {
            var text = new PageText(services.Texts, RequestLanguage(services.Http.Request));
            return (null, Render(text, null, new MessageModel("not_found"), StatusCodes.Status404NotFound));
        }

        var merchant = await services.Db.Merchants.AsNoTracking().Where(m => m.Id == link.MerchantId)
            .Select(m => new PageMerchant(m.Name, m.Slug, m.Status, m.LoyaltyPointsPerUnit)).FirstAsync(cancellationToken);
        var page = new OpenPage(link, merchant, new PageText(services.Texts, link.Language));
        return lookup.State switch
        {
            LinkState.Valid when merchant.Status == MerchantStatus.Suspended => (null, page.Render(new MessageModel("unavailable"), StatusCodes.Status403Forbidden)),
            LinkState.Valid => (page, null),
            LinkState.Expired => (null, page.Render(new MessageModel("expired"), StatusCodes.Status410Gone)),
            _ => (null, page.Render(new MessageModel("used"), StatusCodes.Status410Gone)),
        };
    }

    /// <summary>No token is known here: the browser's preferred language among ours, else English.</summary>
    private static string RequestLanguage(HttpRequest request) =>
        request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(l => ShopperTexts.Languages.Contains(l)) ?? "en";

    private static RazorComponentResult<LinkPage> Render(PageText text, string? merchant, PageModel model, int status) =>
        new(new Dictionary<string, object?> { [nameof(LinkPage.Text)] = text, [nameof(LinkPage.Merchant)] = merchant, [nameof(LinkPage.Model)] = model })
        {
            StatusCode = status,
        };

    // The pages show personal data under a secret URL: never cached, never indexed, never sent on as a
    // referrer; the policy also forbids any script, so the "no JavaScript" promise is enforced.
    private static ValueTask<object?> PrivatePageHeadersAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        return next(context);
    }

    private sealed record PageMerchant(string Name, string Slug, string Status, decimal LoyaltyPointsPerUnit);

    private sealed record OpenPage(SecureLink Link, PageMerchant Merchant, PageText Text)
    {
        public RazorComponentResult<LinkPage> Render(PageModel model, int status = StatusCodes.Status200OK) => LinkPages.Render(Text, Merchant.Name, model, status);
    }
}
