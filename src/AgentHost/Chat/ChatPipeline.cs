using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agents.Data;
using Agents.Data.Entities;
using Agents.Plugins;
using Agents.Retrieval.Language;
using Agents.Retrieval.Search;
using Agents.Runtime.Invocation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Npgsql;

namespace Agents.AgentHost.Chat;

/// <summary>How a turn ended when it did not produce a reply.</summary>
public enum TurnRefusal
{
    None,
    MerchantSuspended,
    CustomerBlocked,
    CustomerOptedOut,
    SessionOfAnotherCustomer,
}

public sealed record TurnOutcome(TurnRefusal Refusal, ChatReply? Reply);

/// <summary>At most <c>Chat:MaxConcurrentTurns</c> turns run at once in this process (default 32); the rest queue.</summary>
public sealed class TurnGate(IConfiguration configuration) : SemaphoreSlim(
    configuration.GetValue("Chat:MaxConcurrentTurns", 32), configuration.GetValue("Chat:MaxConcurrentTurns", 32));

/// <summary>
/// One conversation turn, the same for every channel: merchant active → customer allowed →
/// language → history (memory window) → retrieval → model with tools → outbound guard →
/// persisted → returned. Turns of one conversation are serialised by an <see cref="Infrastructure.AdvisoryLock"/>.
/// </summary>
public sealed partial class ChatPipeline(
    AgentsDbContext db,
    TenantContext tenant,
    LanguageDetector detector,
    HybridSearch search,
    ToolCatalog catalog,
    ToolLoop loop,
    AssistantModels models,
    TurnGate gate,
    ILogger<ChatPipeline> logger)
{
    private const int ContextPassages = 4;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<TurnOutcome> RunAsync(ChatRequest request, string channel, Func<TurnEvent, Task>? onEvent, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var merchantId = tenant.MerchantId!.Value;
        var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.Id == merchantId, cancellationToken);
        if (merchant.Status == MerchantStatus.Suspended)
        {
            return new TurnOutcome(TurnRefusal.MerchantSuspended, null);
        }

        var (conversation, customer, refusal) = await ResolveSessionAsync(request, channel, cancellationToken);
        if (refusal != TurnRefusal.None)
        {
            return new TurnOutcome(refusal, null);
        }

        if (customer.Blocked || customer.OptedOut)
        {
            logger.LogInformation("Ignored a message from customer {Customer}: {Reason}", customer.Id, customer.Blocked ? "blocked" : "opted out");
            return new TurnOutcome(customer.Blocked ? TurnRefusal.CustomerBlocked : TurnRefusal.CustomerOptedOut, null);
        }

        // A turn holds one pooled connection for its length and borrows more briefly (search, tools):
        // the gate keeps running turns well under the pool size, so they can never starve each other.
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var turnLock = await Infrastructure.AdvisoryLock.AcquireAsync(db, Infrastructure.AdvisoryLock.Conversation, conversation.Id, cancellationToken);
            return await RunLockedAsync(request, merchant, conversation, customer, onEvent, started, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<TurnOutcome> RunLockedAsync(ChatRequest request, Merchant merchant, Conversation conversation, Customer customer,
        Func<TurnEvent, Task>? onEvent, long started, CancellationToken cancellationToken)
    {
        var merchantId = merchant.Id;
        var text = request.Message!.Trim();

        var language = ResolveLanguage(request.Customer?.Language, customer, conversation, merchant, text);
        var history = await HistoryAsync(conversation.Id, merchant.Ai.MemoryWindow, cancellationToken);

        // The shopper's message is committed before the model runs: a crash mid-turn loses nothing accepted.
        db.Messages.Add(new Message { ConversationId = conversation.Id, Role = "user", Content = text, Language = language });
        conversation.LastMessageAt = DateTimeOffset.UtcNow;
        conversation.Language = language;
        await db.SaveChangesAsync(cancellationToken);

        // Context passages are for models that read them: the local model answers only through its
        // tools (which search themselves), so it skips a retrieval it would ignore.
        var model = models.For(merchant);
        var staff = IsStaff(request, conversation, customer, merchant);
        IReadOnlyList<SearchHit> passages = model.IsLocal || staff ? [] : (await search.SearchAsync(merchantId, new SearchQuery(text, K: ContextPassages), cancellationToken)).Hits;
        var system = staff ? models.StaffPrompt(merchant, language) : models.SystemPrompt(merchant, language, passages, customer.Name);
        var messages = new List<ChatMessage> { new(ChatRole.System, system) };
        messages.AddRange(history);
        messages.Add(new ChatMessage(ChatRole.User, text));
        var options = new ChatOptions
        {
            ModelId = model.ModelId,
            Temperature = (float)merchant.Ai.Temperature,
            TopP = (float)merchant.Ai.TopP,
            MaxOutputTokens = merchant.Ai.MaxTokens,
            Tools = staff ? [.. catalog.StaffTools] : [.. catalog.Tools],
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                ["language"] = language,
                ["merchantName"] = merchant.Name,
                ["customerName"] = customer.Name,
            },
        };

        var allowedUrls = new HashSet<string>(StringComparer.Ordinal);
        var streamGuard = new OutboundGuard(allowedUrls, language);
        var result = new TurnResult();
        string? error = null;
        try
        {
            await foreach (var turnEvent in loop.RunAsync(model.Client, messages, options, Prepare(merchantId, conversation.Id, customer.Id, language), result, cancellationToken))
            {
                if (turnEvent is ToolCallFinished finished)
                {
                    allowedUrls.UnionWith(Links(finished.Call.Result).Select(l => l.Url));
                }

                if (onEvent is null)
                {
                    continue;
                }

                if (turnEvent is not TextDelta delta)
                {
                    await onEvent(turnEvent);
                }
                else if (streamGuard.Push(delta.Text) is { Length: > 0 } safe)
                {
                    await onEvent(new TextDelta(safe));
                }
            }
        }
        catch (Exception exception) when (models.IsOutage(exception) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(exception, "Model provider failed for merchant {Merchant}", merchantId);
            error = exception.GetType().Name;
        }

        // The reply is the final round's text, guarded; what was streamed went through the same guard.
        var guard = new OutboundGuard(allowedUrls, language);
        string reply;
        if (error is not null || result.Text.Trim().Length == 0)
        {
            error ??= "empty reply";
            reply = Apology(language);
        }
        else
        {
            reply = guard.Apply(result.Text.Trim());
            if (onEvent is not null && streamGuard.Flush() is { Length: > 0 } tail)
            {
                await onEvent(new TextDelta(tail));
            }
        }

        if (guard.Findings.Count > 0)
        {
            logger.LogWarning("Outbound guard removed {Findings} from a reply in conversation {Conversation}", string.Join(", ", guard.Findings), conversation.Id);
        }

        var links = result.Calls.SelectMany(c => Links(c.Result)).DistinctBy(l => l.Url).ToList();
        var citations = Citations(reply, model.IsLocal ? null : passages, result.Calls);
        var cost = models.Cost(result.ModelId ?? model.ModelId, result.Usage);
        var latency = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var toolCalls = result.Calls.Select(c => new ToolCallDto(c.Name, JsonSerializer.SerializeToElement(c.Arguments, Json), c.Result)).ToList();

        db.Messages.Add(new Message
        {
            ConversationId = conversation.Id,
            Role = "assistant",
            Content = reply,
            Language = language,
            ToolCalls = toolCalls.Count == 0 ? null : JsonSerializer.Serialize(result.Calls.Select(c => new StoredCall(c.CallId, c.Name, c.Arguments, c.Result, c.Failed, Math.Round(c.Milliseconds, 1))), Json),
            Model = result.ModelId ?? model.ModelId,
            PromptVersion = models.PromptVersion,
            InputTokens = (int)(result.Usage.InputTokenCount ?? 0),
            OutputTokens = (int)(result.Usage.OutputTokenCount ?? 0),
            CostUsd = cost,
            LatencyMs = (int)latency,
            Citations = citations.Count == 0 ? null : JsonSerializer.Serialize(citations, Json),
            Links = links.Count == 0 ? null : JsonSerializer.Serialize(links, Json),
            Error = error,
        });
        conversation.LastMessageAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(CancellationToken.None);

        return new TurnOutcome(TurnRefusal.None, new ChatReply(conversation.SessionId, reply, language, toolCalls, citations, links,
            new UsageDto(result.Usage.InputTokenCount ?? 0, result.Usage.OutputTokenCount ?? 0, cost), latency));
    }

    /// <summary>A tool call as stored on the assistant message, enough to rebuild the model's view of the turn.</summary>
    public sealed record StoredCall(string CallId, string Name, IReadOnlyDictionary<string, object?> Arguments, JsonElement Result, bool Failed, double Ms);

    private static Action<IServiceProvider> Prepare(Guid merchantId, Guid conversationId, Guid customerId, string language) => services =>
    {
        services.GetRequiredService<TenantContext>().Set(merchantId);
        var context = services.GetRequiredService<ToolContext>();
        context.ConversationId = conversationId;
        context.CustomerId = customerId;
        context.Language = language;
    };

    /// <summary>
    /// A staff turn: the merchant asking about the shop. Only a secret-key caller can say so (the
    /// widget's public key never), or a WhatsApp number the merchant listed as staff.
    /// </summary>
    private static bool IsStaff(ChatRequest request, Conversation conversation, Customer customer, Merchant merchant) =>
        conversation.Channel != "widget"
        && (string.Equals(request.Audience, "merchant", StringComparison.Ordinal) || customer.Phone is { } phone && merchant.StaffPhones.Contains(phone));

    private async Task<(Conversation Conversation, Customer Customer, TurnRefusal Refusal)> ResolveSessionAsync(ChatRequest request, string channel, CancellationToken cancellationToken)
    {
        var sessionId = string.IsNullOrWhiteSpace(request.SessionId) ? null : request.SessionId.Trim();
        var conversation = sessionId is null ? null : await db.Conversations.FirstOrDefaultAsync(c => c.SessionId == sessionId, cancellationToken);
        // The widget (a public key) can never continue a conversation of another channel.
        if (conversation is not null && channel == "widget" && conversation.Channel != "widget")
        {
            return (conversation, null!, TurnRefusal.SessionOfAnotherCustomer);
        }

        var identified = await FindCustomerAsync(request.Customer, cancellationToken);
        if (conversation?.CustomerId is { } owner)
        {
            if (identified is not null && identified.Id != owner)
            {
                return (conversation, identified, TurnRefusal.SessionOfAnotherCustomer);
            }

            var customer = identified ?? await db.Customers.FirstAsync(c => c.Id == owner, cancellationToken);
            return (conversation, customer, TurnRefusal.None);
        }

        var newCustomer = identified ?? NewCustomer(request.Customer);
        if (identified is null)
        {
            db.Customers.Add(newCustomer);
        }

        if (conversation is null)
        {
            var id = Guid.CreateVersion7();
            conversation = new Conversation { Id = id, SessionId = sessionId ?? id.ToString(), Channel = channel };
            db.Conversations.Add(conversation);
        }

        conversation.CustomerId = newCustomer.Id;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Two first messages of one new session raced, or the customer was created meanwhile: use what won.
            db.ChangeTracker.Clear();
            return await ResolveSessionAsync(request, channel, cancellationToken);
        }

        return (conversation, newCustomer, TurnRefusal.None);
    }

    private async Task<Customer?> FindCustomerAsync(ChatCustomerRequest? identity, CancellationToken cancellationToken)
    {
        if (identity is null)
        {
            return null;
        }

        if (identity.ExternalId is { Length: > 0 } externalId && await db.Customers.FirstOrDefaultAsync(c => c.ExternalId == externalId, cancellationToken) is { } byExternal)
        {
            return byExternal;
        }

        if (identity.Phone is { Length: > 0 } phone && await db.Customers.FirstOrDefaultAsync(c => c.Phone == phone, cancellationToken) is { } byPhone)
        {
            return byPhone;
        }

        var email = identity.Email?.Trim().ToLowerInvariant();
#pragma warning disable CA1862 // EF translates ToLower() to SQL lower(), the expression ux_customers_email indexes
        return email is { Length: > 0 } ? await db.Customers.FirstOrDefaultAsync(c => c.Email != null && c.Email.ToLower() == email, cancellationToken) : null;
#pragma warning restore CA1862
    }

    private static Customer NewCustomer(ChatCustomerRequest? identity) => new()
    {
        ExternalId = identity?.ExternalId,
        Phone = identity?.Phone,
        Email = identity?.Email?.Trim(),
        Name = identity?.Name,
        Language = identity?.Language,
    };

    /// <summary>Explicit language → the customer's stored language → detected from the message → the conversation's → the merchant's default.</summary>
    private string ResolveLanguage(string? requested, Customer customer, Conversation conversation, Merchant merchant, string text)
    {
        if (requested is "it" or "en" or "es")
        {
            customer.Language = requested;
            return requested;
        }

        if (customer.Language is { } known)
        {
            return known;
        }

        var guess = detector.Detect(text);
        if (guess.Language is "it" or "en" or "es" && guess.Confidence >= 0.5)
        {
            customer.Language = guess.Language;
            return guess.Language;
        }

        return conversation.Language ?? merchant.DefaultLanguage;
    }

    /// <summary>
    /// The last <paramref name="window"/> messages, oldest first, as the model saw them: an assistant
    /// message that used tools is rebuilt as its calls, their results and its text, so a call is
    /// never separated from its result. Older messages are dropped.
    /// </summary>
    private async Task<List<ChatMessage>> HistoryAsync(Guid conversationId, int window, CancellationToken cancellationToken)
    {
        var stored = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId && (m.Role == "user" || m.Role == "assistant"))
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(Math.Max(0, window)).ToListAsync(cancellationToken);
        stored.Reverse();
        var messages = new List<ChatMessage>();
        foreach (var message in stored)
        {
            if (message.Role == "assistant" && message.ToolCalls is { } json)
            {
                var calls = JsonSerializer.Deserialize<List<StoredCall>>(json, Json) ?? [];
                messages.Add(new ChatMessage(ChatRole.Assistant, [.. calls.Select(c => new FunctionCallContent(c.CallId, c.Name, c.Arguments.ToDictionary()))]));
                messages.Add(new ChatMessage(ChatRole.Tool, [.. calls.Select(c => new FunctionResultContent(c.CallId, c.Result))]));
            }

            messages.Add(new ChatMessage(message.Role == "user" ? ChatRole.User : ChatRole.Assistant, message.Content));
        }

        return messages;
    }

    /// <summary>Links our tools produced: any object with "url" and "purpose", at any depth of a tool result.</summary>
    internal static IEnumerable<LinkDto> Links(JsonElement result)
    {
        switch (result.ValueKind)
        {
            case JsonValueKind.Object:
                if (result.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String
                    && result.TryGetProperty("purpose", out var purpose) && purpose.ValueKind == JsonValueKind.String)
                {
                    DateTimeOffset? expires = result.TryGetProperty("expiresAt", out var at) && at.TryGetDateTimeOffset(out var when) ? when : null;
                    yield return new LinkDto(purpose.GetString()!, url.GetString()!, expires);
                }

                foreach (var property in result.EnumerateObject())
                {
                    foreach (var link in Links(property.Value))
                    {
                        yield return link;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in result.EnumerateArray())
                {
                    foreach (var link in Links(item))
                    {
                        yield return link;
                    }
                }

                break;
        }
    }

    /// <summary>
    /// Sources the reply cites with [n]: the n-th context passage for a hosted model, the n-th
    /// item of the turn's document-bearing tool result for the local model; plus the product a
    /// get_product answer is about.
    /// </summary>
    private static List<CitationDto> Citations(string reply, IReadOnlyList<SearchHit>? passages, IReadOnlyList<ToolCallRecord> calls)
    {
        var markers = Marker().Matches(reply).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().ToList();
        var citations = new List<CitationDto>();
        if (passages is not null)
        {
            citations.AddRange(markers.Where(n => n >= 1 && n <= passages.Count).Select(n => passages[n - 1])
                .Select(p => new CitationDto(p.DocumentId, p.Title, p.Snippet)));
        }
        else
        {
            var sources = calls.Where(c => !c.Failed).Select(c => c.Result)
                .SelectMany(r => r.ValueKind == JsonValueKind.Object && (r.TryGetProperty("answers", out var list) || r.TryGetProperty("items", out list)) && list.ValueKind == JsonValueKind.Array
                    ? list.EnumerateArray().ToList() : [])
                .ToList();
            citations.AddRange(markers.Where(n => n >= 1 && n <= sources.Count).Select(n => sources[n - 1])
                .Where(s => s.TryGetProperty("documentId", out var id) && id.ValueKind == JsonValueKind.String)
                .Select(s => new CitationDto(s.GetProperty("documentId").GetGuid(),
                    (s.TryGetProperty("title", out var title) ? title : s.GetProperty("name")).GetString() ?? "",
                    s.TryGetProperty("snippet", out var snippet) ? snippet.GetString() ?? "" : "")));
        }

        foreach (var call in calls.Where(c => c.Name == "get_product" && !c.Failed))
        {
            if (call.Result.TryGetProperty("documentId", out var id) && id.ValueKind == JsonValueKind.String
                && call.Result.TryGetProperty("product", out var product) && product.ValueKind == JsonValueKind.Object)
            {
                var description = product.GetProperty("description").GetString() ?? "";
                citations.Add(new CitationDto(id.GetGuid(), product.GetProperty("name").GetString() ?? "", description.Length <= 200 ? description : description[..200] + "…"));
            }
        }

        return [.. citations.DistinctBy(c => c.DocumentId)];
    }

    private static string Apology(string language) => language switch
    {
        "it" => "Mi dispiace, in questo momento non riesco a rispondere. Riprova tra qualche minuto, per favore.",
        "es" => "Lo siento, ahora mismo no puedo responder. Vuelve a intentarlo en unos minutos, por favor.",
        _ => "Sorry, I can't answer right now. Please try again in a few minutes.",
    };

    [GeneratedRegex(@"\[(\d{1,2})\]")]
    private static partial Regex Marker();
}
