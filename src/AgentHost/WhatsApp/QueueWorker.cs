namespace Agents.AgentHost.WhatsApp;

/// <summary>
/// A background loop over a PostgreSQL work queue: take a batch, work it, and when there was none,
/// wait for a signal or the next poll. A failure is logged and retried after a pause; stopping the
/// host ends the loop.
/// </summary>
public abstract class QueueWorker(ILogger logger, string name) : BackgroundService
{
    protected static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>Claims and works one batch; returns how many items it claimed.</summary>
    protected abstract Task<int> RunBatchAsync(CancellationToken cancellationToken);

    /// <summary>Waits until there may be new work (a signal) or the poll interval passed.</summary>
    protected abstract Task WaitForWorkAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunBatchAsync(stoppingToken) == 0)
                {
                    await WaitForWorkAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "{Worker} failed; retrying", name);
                await Task.Delay(Poll, stoppingToken);
            }
        }
    }
}
