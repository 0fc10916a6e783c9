using System.Collections.Concurrent;
using Agents.Channels.Twilio;
using Agents.Data.Entities;
using Npgsql;

namespace Agents.AgentHost.WhatsApp;

/// <summary>An outbox row claimed for sending.</summary>
public sealed record OutboundMessage(
    Guid Id, Guid MerchantId, string To, string Kind, string Body, string? MediaUrl, string? Template, string? TemplateVariables,
    int Attempts, bool OptedOut, DateTimeOffset? LastInboundAt);

/// <summary>
/// Delivers the outbox through Twilio's Messages API, on any number of hosts: rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> and a lease, one recipient's messages strictly in order. Retryable
/// failures (429, 5xx, network) back off exponentially; permanent ones are recorded. Each message
/// carries its outbox id in the status callback URL: if a host dies after Twilio accepted a message
/// but before recording it, the callback records it, and a row is only sent again when no callback
/// came within its lease — so a restart loses nothing and, in practice, sends nothing twice.
/// Outside WhatsApp's 24-hour window a message needs an approved template; without one it fails
/// with <c>outside_24h_window</c> rather than being refused by WhatsApp.
/// </summary>
public sealed class OutboxSender(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, WhatsAppSignals signals,
    Commerce.PublicBaseUrl publicBaseUrl, TimeProvider clock, ILogger<OutboxSender> logger) : QueueWorker(logger, "Outbox delivery")
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);
    private const int MaxAttempts = 8;
    private const int Parallelism = 8;

    protected override async Task<int> RunBatchAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(cancellationToken);
        var accounts = new ConcurrentDictionary<Guid, Lazy<Task<(ChannelAccount? Account, string? Token)>>>();
        // Recipients in parallel, each recipient's messages one after another (they were claimed in order).
        await Parallel.ForEachAsync(claimed.GroupBy(m => m.To), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (recipient, token) =>
            {
                foreach (var message in recipient)
                {
                    await SendAsync(message, accounts, token);
                }
            });
        return claimed.Count;
    }

    protected override Task WaitForWorkAsync(CancellationToken cancellationToken) => signals.WaitOutboxAsync(Poll, cancellationToken);

    /// <summary>Due rows whose recipient has no earlier message still waiting, oldest first.</summary>
    private async Task<List<OutboundMessage>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE outbox_messages o SET status = 'sending', locked_until = now() + $1, attempts = o.attempts + 1
            FROM customers c
            WHERE o.id IN (
                SELECT d.id FROM outbox_messages d
                WHERE ((d.status = 'pending' AND d.next_attempt_at <= now()) OR (d.status = 'sending' AND d.locked_until < now() AND d.provider_id IS NULL))
                  AND NOT EXISTS (SELECT 1 FROM outbox_messages e WHERE e.merchant_id = d.merchant_id AND e.to_address = d.to_address
                                  AND e.seq < d.seq AND e.status IN ('pending', 'sending'))
                ORDER BY d.seq LIMIT 100 FOR UPDATE SKIP LOCKED)
              AND c.id = o.customer_id
            RETURNING o.id, o.merchant_id, o.to_address, o.kind, o.body, o.media_url, o.template, o.template_variables::text, o.attempts,
                      c.opted_out, c.last_inbound_at, o.seq
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Lease });
        var messages = new List<(long Seq, OutboundMessage Message)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add((reader.GetInt64(11), new OutboundMessage(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetInt32(8), reader.GetBoolean(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10))));
        }

        return [.. messages.OrderBy(m => m.Seq).Select(m => m.Message)];
    }

    private async Task SendAsync(OutboundMessage message, ConcurrentDictionary<Guid, Lazy<Task<(ChannelAccount? Account, string? Token)>>> accounts, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        // One lookup and one decryption per merchant per batch, not per message.
        var (account, token) = await accounts.GetOrAdd(message.MerchantId, id => new(async () =>
        {
            await using var lookup = scopes.CreateAsyncScope();
            var channelAccounts = lookup.ServiceProvider.GetRequiredService<ChannelAccounts>();
            var found = await channelAccounts.ForMerchantAsync(id, cancellationToken);
            return (found, found is null ? null : channelAccounts.Token(found));
        })).Value;
        if (account is null)
        {
            await FinishAsync(message.Id, "failed", null, null, "no_whatsapp_number", null, cancellationToken);
            return;
        }

        if (message.OptedOut && message.Kind == Outbox.Notification)
        {
            await FinishAsync(message.Id, "cancelled", null, null, "opted_out", null, cancellationToken);
            return;
        }

        var insideWindow = message.LastInboundAt is { } last && clock.GetUtcNow() - last < Window;
        var templates = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(account.Templates) ?? [];
        string? contentSid = null;
        if (!insideWindow)
        {
            if (message.Template is null || !templates.TryGetValue(message.Template, out contentSid))
            {
                await FinishAsync(message.Id, "failed", null, null, "outside_24h_window", null, cancellationToken);
                return;
            }
        }

        var baseUrl = publicBaseUrl.Configured;
        var outbound = new TwilioOutboundMessage
        {
            To = message.To,
            From = account.MessagingServiceSid is null ? account.FromAddress : null,
            MessagingServiceSid = account.MessagingServiceSid,
            Body = contentSid is null ? message.Body : null,
            MediaUrl = contentSid is null && message.MediaUrl is not null ? [message.MediaUrl] : [],
            ContentSid = contentSid,
            ContentVariables = contentSid is null ? null : message.TemplateVariables,
            StatusCallback = baseUrl is null ? null : $"{baseUrl}{WhatsAppApi.StatusPath}?outbox={message.Id}",
        };
        try
        {
            var sent = await scope.ServiceProvider.GetRequiredService<TwilioMessagesClient>().SendAsync(new TwilioCredentials(account.AccountSid, token!), outbound, cancellationToken);
            // What Twilio answered is recorded even when the host is stopping: a send that happened
            // but was not written down would be sent again after the lease.
            await FinishAsync(message.Id, "sent", sent.Sid, sent.Status, null, null, CancellationToken.None);
        }
        catch (TwilioApiException exception) when (!exception.Retryable || message.Attempts >= MaxAttempts)
        {
            logger.LogWarning("WhatsApp message {Message} not delivered: Twilio {Status} {Code} {Error}", message.Id, exception.StatusCode, exception.Code, exception.Message);
            await FinishAsync(message.Id, "failed", null, null, exception.Message, exception.Code, CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping mid-send: Twilio may or may not have the message. Keep the row
            // claimed a little longer (a callback would name it), then any host may send it again.
            await using var release = dataSource.CreateCommand("UPDATE outbox_messages SET locked_until = now() + interval '10 seconds' WHERE id = $1 AND status = 'sending'");
            release.Parameters.Add(new NpgsqlParameter { Value = message.Id });
            await release.ExecuteNonQueryAsync(CancellationToken.None);
            throw;
        }
        catch (Exception exception) when (exception is TwilioApiException or HttpRequestException or TaskCanceledException)
        {
            var delay = Backoff(message.Attempts);
            logger.LogInformation("WhatsApp message {Message} will be retried in {Delay}: {Error}", message.Id, delay, exception.Message);
            // Recorded even when the host is stopping, or the row would stay claimed for the whole lease.
            await RetryAsync(message.Id, delay, exception.Message, CancellationToken.None);
        }
    }

    /// <summary>2, 4, 8… seconds, at most 10 minutes.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(600, Math.Pow(2, Math.Max(1, attempts))));

    private async Task FinishAsync(Guid id, string status, string? providerId, string? providerStatus, string? error, int? errorCode, CancellationToken cancellationToken)
    {
        // A status callback may have arrived first: keep its (later) status and the provider id it set.
        await using var command = dataSource.CreateCommand("""
            UPDATE outbox_messages SET status = $2, provider_id = COALESCE(provider_id, $3), provider_status = COALESCE(provider_status, $4),
                last_error = $5, provider_error_code = $6, locked_until = NULL, sent_at = CASE WHEN $2 = 'sent' THEN COALESCE(sent_at, now()) END
            WHERE id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = status });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)providerId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)providerStatus ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)errorCode ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task RetryAsync(Guid id, TimeSpan delay, string error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE outbox_messages SET status = 'pending', next_attempt_at = now() + $2, last_error = $3, locked_until = NULL WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = delay });
        command.Parameters.Add(new NpgsqlParameter { Value = error });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
