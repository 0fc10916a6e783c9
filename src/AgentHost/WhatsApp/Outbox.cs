using Npgsql;

namespace Agents.AgentHost.WhatsApp;

/// <summary>A message to send, as written to the outbox.</summary>
public sealed record OutboxItem(
    Guid MerchantId, Guid? ConversationId, Guid? CustomerId, string To, string Kind, string Body, string? MediaUrl,
    string? Template, string? TemplateVariables, string IdempotencyKey);

/// <summary>
/// Writes to the PostgreSQL outbox (in the caller's transaction when given one). The idempotency
/// key makes a retried write a no-op: the same reply part is queued once however often its
/// turn is retried. <see cref="OutboxSender"/> delivers.
/// </summary>
public sealed class Outbox(NpgsqlDataSource dataSource, WhatsAppSignals signals)
{
    public const string Reply = "reply";
    public const string Notification = "notification";

    public async Task EnqueueAsync(IReadOnlyList<OutboxItem> items, NpgsqlConnection? connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var owned = connection is null ? await dataSource.OpenConnectionAsync(cancellationToken) : null;
        foreach (var item in items)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO outbox_messages (id, merchant_id, channel, conversation_id, customer_id, to_address, kind, body, media_url, template, template_variables, idempotency_key)
                VALUES ($1, $2, 'whatsapp', $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)
                ON CONFLICT (merchant_id, idempotency_key) DO NOTHING
                """, connection ?? owned, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
            command.Parameters.Add(new NpgsqlParameter { Value = item.MerchantId });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)item.ConversationId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)item.CustomerId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = item.To });
            command.Parameters.Add(new NpgsqlParameter { Value = item.Kind });
            command.Parameters.Add(new NpgsqlParameter { Value = item.Body });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)item.MediaUrl ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)item.Template ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)item.TemplateVariables ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = item.IdempotencyKey });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        signals.OutboxChanged();
    }
}

/// <summary>Wakes the background workers when there is new work, so they need not wait for their next poll.</summary>
public sealed class WhatsAppSignals : IDisposable
{
    private readonly SemaphoreSlim _inbound = new(0);
    private readonly SemaphoreSlim _outbox = new(0);

    public void InboundReceived() => Release(_inbound);

    public void OutboxChanged() => Release(_outbox);

    public Task<bool> WaitInboundAsync(TimeSpan poll, CancellationToken cancellationToken) => _inbound.WaitAsync(poll, cancellationToken);

    public Task<bool> WaitOutboxAsync(TimeSpan poll, CancellationToken cancellationToken) => _outbox.WaitAsync(poll, cancellationToken);

    public void Dispose()
    {
        _inbound.Dispose();
        _outbox.Dispose();
    }

    private static void Release(SemaphoreSlim signal)
    {
        // One pending wake-up is enough: the worker drains everything due when it runs.
        if (signal.CurrentCount == 0)
        {
            signal.Release();
        }
    }
}
