using Agents.Data;
using Agents.Data.Entities;

namespace Agents.AgentHost.Commerce;

/// <summary>
/// Continues a chat after something happened outside it (registration, payment, erasure): the
/// message is stored as the assistant's in the conversation, so the widget and the API see it in
/// the history and the model sees it in its memory window.
/// </summary>
public sealed class ConversationNotifier(AgentsDbContext db, TimeProvider clock, ILogger<ConversationNotifier> logger)
{
    public async Task NotifyAsync(Guid? conversationId, string text, string language, CancellationToken cancellationToken)
    {
        if (conversationId is not { } id || await db.Conversations.FindAsync([id], cancellationToken) is not { } conversation)
        {
            return;
        }

        db.Messages.Add(new Message { ConversationId = id, Role = "assistant", Content = text, Language = language, Model = "notification" });
        conversation.LastMessageAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Conversation {Conversation} continued after a secure page", id);
    }
}
