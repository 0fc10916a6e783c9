namespace Agents.Plugins;

/// <summary>
/// Who a tool call acts for, set by the conversation pipeline on the call's own DI scope before
/// the tool runs. The merchant is the scope's <c>TenantContext</c>; tools never take ids from the model.
/// </summary>
public sealed class ToolContext
{
    public Guid ConversationId { get; set; }
    public Guid? CustomerId { get; set; }

    /// <summary>The turn's language (it, en or es): product names and answers come back in it.</summary>
    public string Language { get; set; } = "en";
}
