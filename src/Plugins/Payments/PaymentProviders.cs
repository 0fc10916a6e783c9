namespace Agents.Plugins.Payments;

public sealed record PaymentRequest(Guid OrderId, string OrderNumber, decimal Amount, string Currency, string Description);

/// <summary>What a provider answered: a reference that identifies the payment at the provider, or why it failed.</summary>
public sealed record PaymentAttempt(bool Succeeded, string Reference, string? FailureReason = null);

/// <summary>
/// A payment provider behind the payment page. A real one (Stripe, Adyen, Nexi…) charges or
/// redirects and later confirms through its webhook; each confirmation goes to
/// <see cref="Orders.OrderService.ConfirmPaymentAsync"/>, which is idempotent.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>The provider's name as stored on payments (e.g. "test").</summary>
    string Name { get; }

    Task<PaymentAttempt> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken);
}

/// <summary>The built-in test provider: every charge succeeds at once, with a fresh reference. Never moves money.</summary>
public sealed class TestPaymentProvider : IPaymentProvider
{
    public string Name => "test";

    public Task<PaymentAttempt> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new PaymentAttempt(true, "test_" + Guid.NewGuid().ToString("N")));
}

/// <summary>Charges an order through the configured provider and records the confirmation.</summary>
public sealed class PaymentService(IPaymentProvider provider, Orders.OrderService orders)
{
    public string ProviderName => provider.Name;

    /// <summary>Charges a pending order; on success the order is paid and its points issued (once, whatever happens twice).</summary>
    public async Task<(PaymentAttempt Attempt, Orders.TransitionResult? Transition)> PayAsync(Data.Entities.Order order, CancellationToken cancellationToken)
    {
        var attempt = await provider.ChargeAsync(new PaymentRequest(order.Id, order.Number, order.Total, order.Currency.Trim(), $"Order {order.Number}"), cancellationToken);
        if (!attempt.Succeeded)
        {
            return (attempt, null);
        }

        return (attempt, await orders.ConfirmPaymentAsync(order, provider.Name, attempt.Reference, order.Total, cancellationToken));
    }
}
