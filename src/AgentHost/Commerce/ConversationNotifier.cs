using System.Text.Json;
using Agents.AgentHost.WhatsApp;
using Agents.Channels.WhatsApp;
using Agents.Data;
using Agents.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Agents.AgentHost.Commerce;

/// <summary>
/// Continues a chat after something happened outside it (registration, payment, erasure, an order
/// shipped): the message is stored as the assistant's in the conversation, so the widget and the
/// API see it in the history and the model in its memory window; a WhatsApp conversation also gets
/// it on the phone, through the outbox — with the merchant's approved template for
/// <paramref name="template"/> when the 24-hour window has closed.
/// </summary>
public sealed class ConversationNotifier(AgentsDbContext db, Outbox outbox, TimeProvider clock, ILogger<ConversationNotifier> logger)
{
    public async Task NotifyAsync(Guid? conversationId, string text, string language, CancellationToken cancellationToken,
        string? template = null, IReadOnlyDictionary<string, string>? templateVariables = null)
    {
        if (conversationId is not { } id || await db.Conversations.FindAsync([id], cancellationToken) is not { } conversation)
        {
            return;
        }

        var message = new Message { ConversationId = id, Role = "assistant", Content = text, Language = language, Model = "notification" };
        db.Messages.Add(message);
        conversation.LastMessageAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Conversation {Conversation} continued outside the chat", id);

        if (conversation.Channel == "whatsapp" && conversation.CustomerId is { } customerId
            && await db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => c.Phone).FirstOrDefaultAsync(cancellationToken) is { } phone)
        {
            var parts = MessageSplitter.Split(WhatsAppFormatter.Format(text));
            await outbox.EnqueueAsync([.. parts.Select((part, i) => new OutboxItem(conversation.MerchantId, id, customerId, "whatsapp:" + phone, Outbox.Notification,
                part, null, i == 0 ? template : null, i == 0 && templateVariables is not null ? JsonSerializer.Serialize(templateVariables) : null,
                $"notification:{message.Id}:{i}"))], null, null, cancellationToken);
        }
    }
}
