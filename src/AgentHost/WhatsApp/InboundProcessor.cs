using System.Text.Json;
using Agents.AgentHost.Chat;
using Agents.Channels.Twilio;
using Agents.Channels.WhatsApp;
using Agents.Data;
using Agents.Plugins;
using Agents.Retrieval.Language;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Agents.AgentHost.WhatsApp;

/// <summary>A stored inbound WhatsApp message this host claimed.</summary>
public sealed record InboundMessage(Guid Id, Guid MerchantId, string From, string Body, JsonElement Media);

/// <summary>
/// Runs the turns of stored WhatsApp messages in the background, any number of hosts side by side:
/// a message is claimed with <c>FOR UPDATE SKIP LOCKED</c> and a lease (a host that dies releases
/// it when the lease ends), one message per sender at a time, oldest first, so a customer's
/// messages are answered in order. The reply is formatted for WhatsApp, split, and queued in the
/// outbox in the transaction that marks the message done.
/// </summary>
public sealed class InboundProcessor(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, WhatsAppSignals signals, ILogger<InboundProcessor> logger) : QueueWorker(logger, "WhatsApp inbound processing")
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private const int MaxAttempts = 5;

    protected override async Task<int> RunBatchAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(cancellationToken);
        await Task.WhenAll(claimed.Select(message => ProcessAsync(message, cancellationToken)));
        return claimed.Count;
    }

    protected override Task WaitForWorkAsync(CancellationToken cancellationToken) => signals.WaitInboundAsync(Poll, cancellationToken);

    private async Task<List<InboundMessage>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE inbound_messages m SET status = 'processing', locked_until = now() + $1, attempts = attempts + 1
            WHERE m.id IN (
                SELECT c.id FROM inbound_messages c
                WHERE (c.status = 'received' OR (c.status = 'processing' AND c.locked_until < now()))
                  AND NOT EXISTS (SELECT 1 FROM inbound_messages p WHERE p.from_address = c.from_address AND p.merchant_id = c.merchant_id AND p.id <> c.id
                                  AND ((p.status = 'processing' AND p.locked_until >= now())
                                       OR (p.status IN ('received', 'processing') AND (p.received_at, p.id) < (c.received_at, c.id))))
                ORDER BY c.received_at
                LIMIT 8 FOR UPDATE SKIP LOCKED)
            RETURNING m.id, m.merchant_id, m.from_address, m.body, m.media, m.attempts
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Lease });
        var messages = new List<InboundMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new InboundMessage(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                JsonDocument.Parse(reader.GetString(4)).RootElement.Clone()));
        }

        return messages;
    }

    private async Task ProcessAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            services.GetRequiredService<TenantContext>().Set(message.MerchantId);
            var replies = await TurnAsync(services, message, cancellationToken);
            await CompleteAsync(message, replies.Items, replies.ConversationId, null, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(exception, "WhatsApp message {Message} failed", message.Id);
            await FailAsync(message, exception, cancellationToken);
        }
    }

    /// <summary>Opt-out keywords, media acknowledgement, then the same turn as every channel.</summary>
    private static async Task<(List<OutboxItem> Items, Guid? ConversationId)> TurnAsync(IServiceProvider services, InboundMessage message, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<AgentsDbContext>();
        var texts = services.GetRequiredService<ShopperTexts>();
        var phone = message.From.StartsWith("whatsapp:", StringComparison.Ordinal) ? message.From["whatsapp:".Length..] : message.From;
        var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.Id == message.MerchantId, cancellationToken);

        // A customer's first WhatsApp message creates the customer by phone.
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Phone == phone, cancellationToken);
        if (customer is null)
        {
            customer = new Data.Entities.Customer { Phone = phone };
            db.Customers.Add(customer);
        }

        customer.LastInboundAt = DateTimeOffset.UtcNow;
        var language = customer.Language ?? Detect(services, message.Body) ?? merchant.DefaultLanguage;
        var items = new List<OutboxItem>();
        OutboxItem Say(string key, string text) =>
            new(message.MerchantId, null, customer.Id, message.From, Outbox.Reply, text, null, null, null, $"inbound:{message.Id}:{key}");

        switch (OptKeywords.Classify(message.Body))
        {
            case OptKeyword.OptOut:
                customer.OptedOut = true;
                customer.OptedOutAt = DateTimeOffset.UtcNow;
                await db.SaveChangesAsync(cancellationToken);
                return ([Say("opt", texts.Get(language, "whatsapp.opted_out", ("merchant", merchant.Name)))], null);
            // "yes" or "start" from a customer who never opted out is an ordinary message.
            case OptKeyword.OptIn when customer.OptedOut:
                customer.OptedOut = false;
                customer.OptedOutAt = DateTimeOffset.UtcNow;
                await db.SaveChangesAsync(cancellationToken);
                return ([Say("opt", texts.Get(language, "whatsapp.opted_in", ("merchant", merchant.Name)))], null);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (customer.OptedOut || customer.Blocked)
        {
            return ([], null);
        }

        if (message.Media.GetArrayLength() > 0)
        {
            items.Add(Say("media", texts.Get(language, "whatsapp.media_received")));
        }

        if (message.Body.Trim().Length == 0)
        {
            return (items, null);
        }

        var pipeline = services.GetRequiredService<ChatPipeline>();
        var outcome = await pipeline.RunAsync(new ChatRequest($"wa:{phone}", new ChatCustomerRequest(null, phone, null, null, null), message.Body, "whatsapp"),
            "whatsapp", null, cancellationToken);
        if (outcome.Reply is not { } reply)
        {
            return (items, null);
        }

        var conversationId = await db.Conversations.Where(c => c.SessionId == reply.SessionId).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        var image = ProductImage(reply);
        var parts = MessageSplitter.Split(WhatsAppFormatter.Format(reply.Reply));
        items.AddRange(parts.Select((part, i) => new OutboxItem(message.MerchantId, conversationId, customer.Id, message.From, Outbox.Reply, part,
            i == 0 ? image : null, null, null, $"inbound:{message.Id}:reply:{i}")));
        return (items, conversationId);
    }

    /// <summary>The product a get_product answer was about carries its picture (MediaUrl) on the reply.</summary>
    private static string? ProductImage(ChatReply reply) =>
        reply.ToolCalls.Where(c => c.Name == "get_product" && c.Result.ValueKind == JsonValueKind.Object
                && c.Result.TryGetProperty("product", out var product) && product.ValueKind == JsonValueKind.Object
                && product.TryGetProperty("imageUrl", out var url) && url.ValueKind == JsonValueKind.String)
            .Select(c => c.Result.GetProperty("product").GetProperty("imageUrl").GetString())
            .FirstOrDefault(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps);

    private static string? Detect(IServiceProvider services, string text)
    {
        var guess = services.GetRequiredService<LanguageDetector>().Detect(text);
        return guess.Language is "it" or "en" or "es" && guess.Confidence >= 0.5 ? guess.Language : null;
    }

    private async Task CompleteAsync(InboundMessage message, List<OutboxItem> replies, Guid? conversationId, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Outbox>().EnqueueAsync(replies, connection, transaction, cancellationToken);
        await using var done = new NpgsqlCommand("UPDATE inbound_messages SET status = 'done', processed_at = now(), conversation_id = $2, error = $3, locked_until = NULL WHERE id = $1", connection, transaction);
        done.Parameters.Add(new NpgsqlParameter { Value = message.Id });
        done.Parameters.Add(new NpgsqlParameter { Value = (object?)conversationId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        done.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await done.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signals.OutboxChanged();
    }

    /// <summary>Back to received for another try (after a pause of its lease), or failed after <see cref="MaxAttempts"/>.</summary>
    private async Task FailAsync(InboundMessage message, Exception exception, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE inbound_messages SET status = CASE WHEN attempts >= $2 THEN 'failed' ELSE 'processing' END,
                locked_until = now() + interval '10 seconds' * attempts, error = $3
            WHERE id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = message.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = MaxAttempts });
        command.Parameters.Add(new NpgsqlParameter { Value = exception.GetType().Name + ": " + exception.Message });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
