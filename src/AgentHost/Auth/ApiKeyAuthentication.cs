using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Agents.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agents.AgentHost.Auth;

public static class AgentClaims
{
    public const string MerchantId = "merchant_id";
    public const string KeyId = "key_id";
    public const string KeyKind = "key_kind";
    public const string KeyMode = "key_mode";
    public const string MerchantStatus = "merchant_status";
    public const string Admin = "admin";
    /// <summary>One per origin the merchant allows publishable keys from.</summary>
    public const string AllowedOrigin = "allowed_origin";
}

public static class AgentPolicies
{
    public const string Admin = "admin";
    /// <summary>Server-side merchant APIs: a secret key of an active (or trial) merchant.</summary>
    public const string SecretKey = "secret-key";
    /// <summary>Chat: a secret key, or a publishable key sent from one of the merchant's allowed origins.</summary>
    public const string Chat = "chat";
}

public sealed class AdminOptions
{
    public const string Section = "Admin";
    public string? ApiKey { get; set; }
    /// <summary>True when Development generated the key for this run (so the banner may show it).</summary>
    public bool Generated { get; set; }
}

/// <summary>
/// Reads <c>Authorization: Bearer &lt;key&gt;</c> (or <c>X-Api-Key</c>), finds the key by prefix,
/// compares SHA-256 hashes in constant time and sets the request's tenant. Failures become
/// ProblemDetails: 401 for a missing/unknown/revoked key, 403 for the wrong kind of key.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    NpgsqlDataSource dataSource,
    TenantContext tenant,
    IOptionsMonitor<AdminOptions> admin,
    IProblemDetailsService problems,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    // last_used_at is written at most once a minute per key so a busy key costs no write per request.
    private static readonly ConcurrentDictionary<Guid, DateTimeOffset> LastUsedWritten = new();
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ReadKey(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (IsAdminKey(presented))
        {
            var identity = new ClaimsIdentity([new Claim(AgentClaims.Admin, "true")], SchemeName);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
        }

        if (!ApiKeyFormat.TryParse(presented, out var prefix, out _, out _))
        {
            return AuthenticateResult.Fail("The API key is malformed: expected sk_test_…, sk_live_…, pk_test_… or pk_live_….");
        }

        var stored = await FindAsync(prefix);
        if (stored is null || !ApiKeyFormat.Matches(presented, stored.Hash))
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var (keyId, merchantId, kind, mode, _, revoked, lastUsed, status, origins) = stored;
        if (revoked)
        {
            return AuthenticateResult.Fail("The API key has been revoked.");
        }

        await TouchAsync(keyId, lastUsed);
        tenant.Set(merchantId);
        var claims = new ClaimsIdentity(
        [
            new Claim(AgentClaims.MerchantId, merchantId.ToString()),
            new Claim(AgentClaims.KeyId, keyId.ToString()),
            new Claim(AgentClaims.KeyKind, kind),
            new Claim(AgentClaims.KeyMode, mode),
            new Claim(AgentClaims.MerchantStatus, status),
            .. origins.Select(o => new Claim(AgentClaims.AllowedOrigin, o)),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(claims), SchemeName));
    }

    private sealed record StoredKey(Guid Id, Guid MerchantId, string Kind, string Mode, byte[] Hash, bool Revoked, DateTimeOffset? LastUsedAt, string MerchantStatus,
        string[] AllowedOrigins);

    private async Task<StoredKey?> FindAsync(string prefix)
    {
        // The reader must be disposed exactly once: Npgsql reuses reader objects per pooled
        // connection, so a second dispose can close another request's reader.
        await using var command = dataSource.CreateCommand("""
            SELECT k.id, k.merchant_id, k.kind, k.mode, k.hash, k.revoked_at IS NOT NULL, k.last_used_at, m.status, m.allowed_origins
            FROM api_keys k JOIN merchants m ON m.id = k.merchant_id
            WHERE k.prefix = @prefix
            """);
        command.Parameters.AddWithValue("prefix", prefix);
        await using var reader = await command.ExecuteReaderAsync(Context.RequestAborted);
        if (!await reader.ReadAsync(Context.RequestAborted))
        {
            return null;
        }

        return new StoredKey(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), (byte[])reader[4],
            reader.GetBoolean(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7), reader.GetFieldValue<string[]>(8));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            result.Failure?.Message ?? "An API key is required: send it as 'Authorization: Bearer <key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var user = Context.User;
        var detail = Request.Path.StartsWithSegments("/api/admin", StringComparison.OrdinalIgnoreCase)
            ? "This endpoint needs the admin key."
            : user.HasClaim(AgentClaims.Admin, "true")
                ? "The admin key manages merchants under /api/admin; use a merchant's secret key (sk_…) here."
                : user.HasClaim(AgentClaims.KeyKind, ApiKeyFormat.Publishable)
                    ? Request.Path.StartsWithSegments("/chat", StringComparison.OrdinalIgnoreCase)
                        ? $"Publishable keys (pk_…) only work from the merchant's allowed origins; '{(Request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : "no Origin header")}' is not one of them."
                        : "Publishable keys (pk_…) can only be used for chat from an allowed origin; use a secret key (sk_…)."
                    : user.HasClaim(AgentClaims.MerchantStatus, Data.Entities.MerchantStatus.Suspended)
                        ? "The merchant account is suspended."
                        : "This key is not allowed to use this endpoint.";
        return WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", detail);
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        var problem = new ProblemDetailsContext { HttpContext = Context, ProblemDetails = { Status = status, Title = title, Detail = detail } };
        if (!await problems.TryWriteAsync(problem))
        {
            // The client accepts only something no writer produces (an SSE client asking for
            // text/event-stream): answer with the problem anyway rather than fail with a 500.
            Context.Response.StatusCode = status;
            await Context.Response.WriteAsJsonAsync(problem.ProblemDetails, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
    }

    private async Task TouchAsync(Guid keyId, DateTimeOffset? lastUsed)
    {
        var now = clock.GetUtcNow();
        if (lastUsed is { } seen && now - seen < LastUsedResolution)
        {
            return;
        }

        if (LastUsedWritten.TryGetValue(keyId, out var written) && now - written < LastUsedResolution)
        {
            return;
        }

        LastUsedWritten[keyId] = now;
        await using var update = dataSource.CreateCommand("UPDATE api_keys SET last_used_at = @now WHERE id = @id");
        update.Parameters.AddWithValue("now", now);
        update.Parameters.AddWithValue("id", keyId);
        await update.ExecuteNonQueryAsync(Context.RequestAborted);
    }

    private bool IsAdminKey(string presented)
    {
        var configured = admin.CurrentValue.ApiKey;
        return !string.IsNullOrEmpty(configured)
            && CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
                SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
    }

    private static string? ReadKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim() is { Length: > 0 } bearer ? bearer : null;
        }

        return request.Headers["X-Api-Key"].ToString() is { Length: > 0 } header ? header.Trim() : null;
    }
}
