using System.Reflection;
using System.Text.Json;
using Agents.Plugins.Analytics;
using Agents.Plugins.Cart;
using Agents.Plugins.Faq;
using Agents.Plugins.Links;
using Agents.Plugins.Loyalty;
using Agents.Plugins.Orders;
using Agents.Plugins.Payments;
using Agents.Plugins.Products;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.Plugins;

/// <summary>
/// Every tool the assistant can call, as <see cref="AIFunction"/>s built once from the plugin
/// classes' <c>[Description]</c>-annotated methods. Each invocation creates its plugin from the
/// <see cref="AIFunctionArguments.Services"/> it is given, so every call gets the scope (and
/// DbContext) the tool-calling loop opened for it.
/// </summary>
public sealed class ToolCatalog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public ToolCatalog()
    {
        Tools = [.. From<ProductsPlugin>(), .. From<FaqPlugin>(), .. From<CartPlugin>(), .. From<OrdersPlugin>(), .. From<LoyaltyPlugin>(), .. From<LinksPlugin>()];
        StaffTools = [.. From<AnalyticsPlugin>()];
    }

    /// <summary>The shopper's tools.</summary>
    public IReadOnlyList<AIFunction> Tools { get; }

    /// <summary>The tools of a staff conversation (the merchant asking about the shop): analytics only.</summary>
    public IReadOnlyList<AIFunction> StaffTools { get; }

    public static IServiceCollection AddPlugins(IServiceCollection services)
    {
        services.AddSingleton<ToolCatalog>();
        services.AddScoped<ToolContext>();
        services.AddScoped<ProductResolver>();
        services.AddScoped<ProductsPlugin>();
        services.AddScoped<FaqPlugin>();
        services.AddScoped<Carts>();
        services.AddScoped<CartPlugin>();
        services.AddScoped<LoyaltyLedger>();
        services.AddScoped<LoyaltyPlugin>();
        services.AddScoped<OrderService>();
        services.AddScoped<OrdersPlugin>();
        services.AddScoped<SecureLinks>();
        services.AddScoped<LinksPlugin>();
        services.AddScoped<AnalyticsPlugin>();
        services.AddSingleton<IPaymentProvider, TestPaymentProvider>();
        services.AddScoped<PaymentService>();
        return services;
    }

    private static IEnumerable<AIFunction> From<T>() where T : class =>
        typeof(T).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.GetCustomAttribute<ToolAttribute>() is not null)
            .Select(m => AIFunctionFactory.Create(m,
                arguments => (arguments.Services ?? throw new InvalidOperationException($"Tool {m.Name} needs a service scope.")).GetRequiredService<T>(),
                new AIFunctionFactoryOptions { Name = m.GetCustomAttribute<ToolAttribute>()!.Name, SerializerOptions = Json }));
}

/// <summary>Marks a plugin method as a tool and gives its snake_case name.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
