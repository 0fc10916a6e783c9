using System.Text.Json;
using System.Text.RegularExpressions;
using Agents.AgentHost.Auth;
using Agents.AgentHost.Commerce;
using Agents.AgentHost.Infrastructure;
using Agents.Channels.Twilio;
using Agents.Data;
using Agents.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Agents.AgentHost.WhatsApp;

public sealed record WhatsAppConfigRequest(string? AccountSid, string? AuthToken, string? From, string? MessagingServiceSid, Dictionary<string, string>? Templates);

/// <summary>A merchant's WhatsApp number as shown back: never the token, and the URLs to paste into Twilio's console.</summary>
public sealed record WhatsAppConfigDto(string AccountSid, string From, string? MessagingServiceSid, IReadOnlyDictionary<string, string> Templates,
    bool AuthTokenSet, string WebhookUrl, string StatusCallbackUrl, DateTimeOffset UpdatedAt);

public sealed record TwilioWebhookServices(HttpContext Http, ChannelAccounts Accounts, NpgsqlDataSource DataSource, WhatsAppSignals Signals,
    PublicBaseUrl BaseUrl, ILogger<ChannelAccounts> Logger);

/// <summary>
/// WhatsApp through Twilio: the merchant's number (secret key), the inbound webhook and the status
/// callback (Twilio's signature is the credential). Inbound messages are stored and acknowledged at
/// once; the turn runs in <see cref="InboundProcessor"/> and the reply leaves through the outbox.
/// </summary>
public static partial class WhatsAppApi
{
    public const string InboundPath = "/channels/twilio/whatsapp";
    public const string StatusPath = "/channels/twilio/status";
    private const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    public static IEndpointRouteBuilder MapWhatsAppApi(this IEndpointRouteBuilder app)
    {
        var config = app.MapGroup("/api/channels/whatsapp").RequireAuthorization(AgentPolicies.SecretKey).WithTags("Channels");
        config.MapPut("/", Configure).WithSummary("Configure the merchant's WhatsApp number at Twilio (the auth token is stored encrypted and never returned).");
        config.MapGet("/", GetConfiguration);

        var twilio = app.MapGroup("/channels/twilio").AllowAnonymous().DisableAntiforgery().WithTags("Twilio webhooks");
        twilio.MapPost("/whatsapp", ReceiveAsync).WithSummary("Twilio's inbound WhatsApp webhook (form-encoded, signed with X-Twilio-Signature).");
        twilio.MapPost("/status", StatusAsync).WithSummary("Twilio's message status callback (signed).");
        return app;
    }

    public static async Task<Results<Ok<WhatsAppConfigDto>, ValidationProblem>> Configure(
        WhatsAppConfigRequest request, AgentsDbContext db, ChannelAccounts accounts, PublicBaseUrl baseUrl, HttpContext http, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        if (request.AccountSid is null || !AccountSid().IsMatch(request.AccountSid))
        {
            validation.Add("accountSid", "'accountSid' must be a Twilio Account SID: AC followed by 32 hexadecimal characters.");
        }

        if (request.AuthToken is not { Length: >= 16 and <= 128 })
        {
            validation.Add("authToken", "'authToken' must be the account's auth token (16 to 128 characters).");
        }

        var phone = request.From?.StartsWith("whatsapp:", StringComparison.Ordinal) == true ? Validation.NormalizePhone(request.From["whatsapp:".Length..]) : null;
        if (phone is null)
        {
            validation.Add("from", "'from' must be the WhatsApp sender as Twilio writes it: whatsapp:+ followed by the number in international format, e.g. whatsapp:+14155238886.");
        }

        if (request.MessagingServiceSid is not null && !MessagingServiceSid().IsMatch(request.MessagingServiceSid))
        {
            validation.Add("messagingServiceSid", "'messagingServiceSid' must be MG followed by 32 hexadecimal characters.");
        }

        foreach (var (kind, sid) in request.Templates ?? [])
        {
            if (!TemplateKind().IsMatch(kind) || !ContentSid().IsMatch(sid))
            {
                validation.Add($"templates.{kind}", "Templates map a notification kind (e.g. order_status) to an approved template's ContentSid (HX followed by 32 hexadecimal characters).");
            }
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var account = await db.ChannelAccounts.FirstOrDefaultAsync(a => a.Channel == "whatsapp", cancellationToken);
        if (account is null)
        {
            account = new ChannelAccount { AccountSid = request.AccountSid!, AuthTokenProtected = "", FromAddress = "" };
            db.ChannelAccounts.Add(account);
        }

        account.AccountSid = request.AccountSid!;
        account.AuthTokenProtected = accounts.Protect(request.AuthToken!);
        account.FromAddress = "whatsapp:" + phone;
        account.MessagingServiceSid = request.MessagingServiceSid;
        account.Templates = JsonSerializer.Serialize(request.Templates ?? []);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new ConflictException("This WhatsApp number or messaging service is already configured for another merchant.");
        }

        return TypedResults.Ok(Dto(account, baseUrl.For(http.Request)));
    }

    public static async Task<Ok<WhatsAppConfigDto>> GetConfiguration(AgentsDbContext db, PublicBaseUrl baseUrl, HttpContext http, CancellationToken cancellationToken)
    {
        var account = await db.ChannelAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Channel == "whatsapp", cancellationToken)
            ?? throw new NotFoundException("A WhatsApp configuration");
        return TypedResults.Ok(Dto(account, baseUrl.For(http.Request)));
    }

    /// <summary>
    /// Twilio's inbound message. The signature is checked against the URL Twilio called (the public
    /// base URL, not whatever a proxy forwarded); invalid → 403 and nothing stored. Stored once per
    /// MessageSid, so Twilio's retries change nothing; answered at once with empty TwiML.
    /// </summary>
    public static async Task<IResult> ReceiveAsync([AsParameters] TwilioWebhookServices services, CancellationToken cancellationToken)
    {
        var (form, signed) = await ReadFormAsync(services.Http, cancellationToken);
        var accountSid = form.GetValueOrDefault("AccountSid") ?? "";
        var to = form.GetValueOrDefault("To") ?? "";
        var (account, anyOfAccount) = await services.Accounts.FindAsync(accountSid, to, form.GetValueOrDefault("MessagingServiceSid"), cancellationToken);
        if (anyOfAccount is null || !TwilioSignature.IsValid(services.Accounts.Token(anyOfAccount), PublicUrl(services.Http, services.BaseUrl), signed, services.Http.Request.Headers["X-Twilio-Signature"]))
        {
            services.Logger.LogWarning("Refused a WhatsApp webhook: invalid or missing signature for account {AccountSid}", accountSid);
            return Forbidden();
        }

        if (form.GetValueOrDefault("MessageSid") is not { Length: > 0 } messageSid || form.GetValueOrDefault("From") is not { Length: > 0 } from)
        {
            return TypedResults.Problem(detail: "A WhatsApp message needs MessageSid and From.", statusCode: StatusCodes.Status400BadRequest);
        }

        var media = Enumerable.Range(0, int.TryParse(form.GetValueOrDefault("NumMedia"), out var count) ? Math.Clamp(count, 0, 10) : 0)
            .Select(i => new { url = form.GetValueOrDefault($"MediaUrl{i}"), contentType = form.GetValueOrDefault($"MediaContentType{i}") })
            .Where(m => m.url is not null).ToList();
        await using var command = services.DataSource.CreateCommand("""
            INSERT INTO inbound_messages (id, merchant_id, provider, provider_id, account_sid, from_address, to_address, body, media, payload, status)
            VALUES ($1, $2, 'twilio', $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10)
            ON CONFLICT (provider, provider_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)account?.MerchantId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = messageSid });
        command.Parameters.Add(new NpgsqlParameter { Value = accountSid });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        command.Parameters.Add(new NpgsqlParameter { Value = form.GetValueOrDefault("Body") ?? "" });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(media) });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(form) });
        command.Parameters.Add(new NpgsqlParameter { Value = account is null ? "unrouted" : "received" });
        var stored = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (account is null)
        {
            services.Logger.LogWarning("Stored WhatsApp message {MessageSid} for review: no merchant has number {To}", messageSid, to);
        }
        else if (stored)
        {
            services.Signals.InboundReceived();
        }

        return Results.Text(EmptyTwiml, "text/xml; charset=utf-8");
    }

    /// <summary>Twilio's status callback: the outbox row moves forward only (a late "sent" never overwrites "delivered").</summary>
    public static async Task<IResult> StatusAsync([AsParameters] TwilioWebhookServices services, CancellationToken cancellationToken)
    {
        var (form, signed) = await ReadFormAsync(services.Http, cancellationToken);
        var (_, anyOfAccount) = await services.Accounts.FindAsync(form.GetValueOrDefault("AccountSid") ?? "", form.GetValueOrDefault("From") ?? "", form.GetValueOrDefault("MessagingServiceSid"), cancellationToken);
        if (anyOfAccount is null || !TwilioSignature.IsValid(services.Accounts.Token(anyOfAccount), PublicUrl(services.Http, services.BaseUrl), signed, services.Http.Request.Headers["X-Twilio-Signature"]))
        {
            return Forbidden();
        }

        var sid = form.GetValueOrDefault("MessageSid") ?? "";
        var status = form.GetValueOrDefault("MessageStatus") ?? "";
        Guid? outboxId = Guid.TryParse(services.Http.Request.Query["outbox"], out var id) ? id : null;
        await using var connection = await services.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var select = new NpgsqlCommand("""
            SELECT id, provider_status FROM outbox_messages
            WHERE merchant_id = $1 AND (provider_id = $2 OR id = $3) FOR UPDATE
            """, connection, transaction);
        select.Parameters.Add(new NpgsqlParameter { Value = anyOfAccount.MerchantId });
        select.Parameters.Add(new NpgsqlParameter { Value = sid });
        select.Parameters.Add(new NpgsqlParameter { Value = (object?)outboxId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        Guid? rowId = null;
        string? current = null;
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                rowId = reader.GetGuid(0);
                current = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
        }

        if (rowId is { } row && MessageStatus.IsForward(current, status))
        {
            // A callback proves Twilio accepted the message, even if the sender died before recording it.
            await using var update = new NpgsqlCommand("""
                UPDATE outbox_messages SET provider_id = COALESCE(provider_id, $2), provider_status = $3, provider_error_code = $4,
                    status = CASE WHEN status IN ('sending', 'pending') THEN 'sent' ELSE status END, sent_at = COALESCE(sent_at, now())
                WHERE id = $1
                """, connection, transaction);
            update.Parameters.Add(new NpgsqlParameter { Value = row });
            update.Parameters.Add(new NpgsqlParameter { Value = sid });
            update.Parameters.Add(new NpgsqlParameter { Value = status });
            update.Parameters.Add(new NpgsqlParameter { Value = int.TryParse(form.GetValueOrDefault("ErrorCode"), out var code) ? code : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return Results.NoContent();
    }

    /// <summary>The URL Twilio called: Channels:PublicBaseUrl (what Twilio sees behind a proxy) plus path and query.</summary>
    public static string PublicUrl(HttpContext http, PublicBaseUrl baseUrl) => baseUrl.For(http.Request) + http.Request.Path + http.Request.QueryString;

    /// <summary>The form by name (first value) and as the name/value pairs Twilio signed (a repeated name once per value).</summary>
    private static async Task<(Dictionary<string, string> Fields, List<KeyValuePair<string, string>> Signed)> ReadFormAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
        {
            return ([], []);
        }

        var form = await http.Request.ReadFormAsync(cancellationToken);
        return (form.ToDictionary(f => f.Key, f => f.Value.FirstOrDefault() ?? "", StringComparer.Ordinal),
            [.. form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? "")))]);
    }

    private static ProblemHttpResult Forbidden() =>
        TypedResults.Problem(title: "Forbidden", detail: "The X-Twilio-Signature header is missing or does not match this request.", statusCode: StatusCodes.Status403Forbidden);

    private static WhatsAppConfigDto Dto(ChannelAccount account, string baseUrl) =>
        new WhatsAppConfigDto(account.AccountSid, account.FromAddress, account.MessagingServiceSid,
            JsonSerializer.Deserialize<Dictionary<string, string>>(account.Templates) ?? [], true, baseUrl + InboundPath, baseUrl + StatusPath, account.UpdatedAt);

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSid();

    [GeneratedRegex("^MG[0-9a-fA-F]{32}$")]
    private static partial Regex MessagingServiceSid();

    [GeneratedRegex("^HX[0-9a-fA-F]{32}$")]
    private static partial Regex ContentSid();

    [GeneratedRegex("^[a-z][a-z0-9_]{1,40}$")]
    private static partial Regex TemplateKind();
}
