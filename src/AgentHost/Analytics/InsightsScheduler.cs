using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Agents.AgentHost.Analytics;

public sealed class InsightsOptions
{
    public const string Section = "Insights";

    /// <summary>Recompute every merchant's insights once a day.</summary>
    public bool NightlyEnabled { get; set; } = true;

    /// <summary>When the nightly run starts (UTC).</summary>
    public TimeOnly NightlyAt { get; set; } = new(2, 0);
}

/// <summary>Merchants whose insights should be recomputed soon (after a bulk import of orders).</summary>
public sealed class InsightsQueue
{
    private readonly Channel<Guid> _channel = Channel.CreateBounded<Guid>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

    public void Enqueue(Guid merchantId) => _channel.Writer.TryWrite(merchantId);

    public ChannelReader<Guid> Reader => _channel.Reader;
}

/// <summary>
/// Runs the insight jobs: nightly for every merchant with orders, and soon after an import for
/// the merchant who imported. Runs of one merchant are serialised across hosts by the service's
/// advisory lock; a failed run is recorded and the previous results stay.
/// </summary>
public sealed class InsightsScheduler(IServiceScopeFactory scopes, InsightsQueue queue, IOptions<InsightsOptions> options, TimeProvider clock,
    ILogger<InsightsScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nightly = options.Value.NightlyEnabled ? NightlyAsync(stoppingToken) : Task.CompletedTask;
        await foreach (var merchantId in queue.Reader.ReadAllAsync(stoppingToken))
        {
            await RunAsync(merchantId, "import", stoppingToken);
        }

        await nightly;
    }

    private async Task NightlyAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).ToDateTime(options.Value.NightlyAt), TimeSpan.Zero);
            if (next <= now)
            {
                next = next.AddDays(1);
            }

            await Task.Delay(next - now, clock, stoppingToken);
            await using var scope = scopes.CreateAsyncScope();
            foreach (var merchantId in await scope.ServiceProvider.GetRequiredService<InsightsStore>().MerchantsWithOrdersAsync(stoppingToken))
            {
                await RunAsync(merchantId, "nightly", stoppingToken);
            }
        }
    }

    private async Task RunAsync(Guid merchantId, string trigger, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<InsightsService>().RunAsync(merchantId, InsightsService.Kinds, trigger, null, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Insights ({Trigger}) failed for merchant {MerchantId}", trigger, merchantId);
        }
    }
}
