using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Agents.AgentHost.Auth;
using Agents.AgentHost.Commerce;
using Agents.AgentHost.Infrastructure;
using Agents.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Agents.AgentHost.Apis;

public sealed record OrderImportRequest(string? ExternalId, OrderImportCustomerRequest? Customer, string? CreatedAt, string? Status,
    string? Currency, string? Channel, List<OrderImportItemRequest?>? Items);

public sealed record OrderImportCustomerRequest(string? ExternalId, string? Email, string? Phone, string? Name);

public sealed record OrderImportItemRequest(string? Sku, string? Name, string? Category, int? Quantity, decimal? UnitPrice);

/// <summary>received = inserted + updated + failed; errors are the first 1,000 failures in line order.</summary>
public sealed record OrdersBulkResult(int Received, int Inserted, int Updated, int Failed, IReadOnlyList<BulkLineError> Errors, bool ErrorsTruncated);

public sealed record OrdersBulkServices(TenantContext Tenant, AgentsDbContext Db, NpgsqlDataSource DataSource, TimeProvider Clock, ILogger<OrderImporter> Logger,
    Analytics.InsightsQueue Insights);

/// <summary>
/// POST /api/orders/bulk: a merchant's order history (or a sync of it) as NDJSON or a JSON array,
/// upserted by externalId. The body is streamed: one batch is held while it is written, and the next while it is read.
/// </summary>
public static partial class OrdersBulkApi
{
    public const int MaxOrders = 200_000;
    public const int MaxItemsPerOrder = 1_000;
    public const int MaxLineBytes = 1024 * 1024;
    public const long MaxBodyBytes = 512L * 1024 * 1024;
    public const decimal MaxAmount = 9_999_999_999.99m; // numeric(12, 2)
    public static readonly IReadOnlyList<string> Channels = ["web", "api", "whatsapp"];
    private const int MaxMessagesPerLine = 5;

    public static IEndpointRouteBuilder MapOrdersBulkApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/orders").RequireAuthorization(AgentPolicies.SecretKey).WithTags("Commerce");
        api.MapPost("/bulk", BulkImport).WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<OrderImportRequest[]>("application/json", "application/x-ndjson")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Up to 200,000 orders as NDJSON or a JSON array, upserted by externalId; per-line errors, valid lines kept.");
        return app;
    }

    public static async Task<Results<Ok<OrdersBulkResult>, ProblemHttpResult>> BulkImport(
        HttpRequest request, [AsParameters] OrdersBulkServices services, CancellationToken cancellationToken)
    {
        if (Format(request.ContentType) is not { } ndjson)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type",
                detail: "Send the orders as NDJSON (Content-Type: application/x-ndjson, one order per line) or as a JSON array (Content-Type: application/json), in UTF-8.");
        }

        var merchantId = services.Tenant.MerchantId!.Value;
        var currency = (await services.Db.Merchants.AsNoTracking().Where(m => m.Id == merchantId).Select(m => m.Currency).FirstAsync(cancellationToken)).Trim();
        var now = services.Clock.GetUtcNow();
        var rules = new Rules(currency, now.AddMinutes(5));

        await using var body = new BodyProbe(request.Body, ndjson ? MaxLineBytes : null);
        await using var items = BulkReader.ReadAsync(body, ndjson, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var any = await items.MoveNextAsync();
        if (!body.SawContent)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
                detail: "The body is empty: send at least one order.");
        }

        if (ndjson == (body.FirstByte == '['))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", detail: ndjson
                ? "The body is a JSON array but Content-Type says NDJSON: send it as application/json, or one order per line."
                : "The body must be a JSON array of orders (or NDJSON with Content-Type: application/x-ndjson).");
        }

        var importer = new OrderImporter(services.DataSource, services.Logger);
        var result = await importer.ImportAsync(merchantId, LinesAsync(items, any, ndjson, body, rules, cancellationToken), cancellationToken);
        if (result.Inserted + result.Updated > 0)
        {
            services.Insights.Enqueue(merchantId); // anomalies, churn and segments follow the new history in the background
        }

        return TypedResults.Ok(new OrdersBulkResult(result.Received, result.Inserted, result.Updated, result.Failed,
            result.Errors.Select(e => new BulkLineError(e.Line, e.Error)).ToList(), result.ErrorsTruncated));
    }

    /// <summary>True for NDJSON, false for a JSON array, null for anything else or a charset other than UTF-8.</summary>
    private static bool? Format(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            || parsed.CharSet is { Length: > 0 } charset && !charset.Trim('"').Replace("-", "", StringComparison.Ordinal).Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // Routing has already answered 415 to any other media type (the endpoint's Accepts metadata).
        return parsed.MediaType?.ToLowerInvariant() switch
        {
            "application/x-ndjson" => true,
            "application/json" => false,
            _ => null,
        };
    }

    /// <summary>
    /// The records of the upload, numbered as the contract says: the NDJSON line (as BulkReader
    /// counts it), or the 1-based position of the element in the JSON array.
    /// </summary>
    private static async IAsyncEnumerable<OrderImportLine> LinesAsync(IAsyncEnumerator<(int Line, JsonElement Item, string? Error)> items, bool any,
        bool ndjson, BodyProbe body, Rules rules, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var count = 0;
        for (var more = any; more; more = await items.MoveNextAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (line, element, error) = items.Current;
            if (body.LineTooLong is { } tooLong && line >= tooLong)
            {
                break;
            }

            var number = ndjson ? line : count + 1;
            if (++count > MaxOrders)
            {
                yield return new OrderImportLine(number, null, $"An upload takes at most {MaxOrders:N0} orders; this line and the rest were not read.");
                yield break;
            }

            yield return error is null ? Validate(number, element, rules) : new OrderImportLine(number, null, error);
        }

        if (body.LineTooLong is { } cut)
        {
            yield return new OrderImportLine(cut, null, $"The line is longer than {MaxLineBytes / 1024:N0} KiB; reading stopped here.");
        }
    }

    /// <summary>
    /// The request body as BulkReader reads it, noting whether anything but whitespace came and its
    /// first byte; for NDJSON it ends the body before a line longer than the limit (StreamReader
    /// would otherwise buffer a line of any length) and says which line that was.
    /// </summary>
    private sealed class BodyProbe(Stream inner, int? maxLineBytes) : Stream
    {
        private bool _ended;
        private int _lineBytes;
        private int _line = 1;

        public bool SawContent { get; private set; }
        public byte FirstByte { get; private set; }
        public int? LineTooLong { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_ended)
            {
                return 0;
            }

            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Inspect(buffer.Span[..read]);
        }

        public override int Read(Span<byte> buffer) => _ended ? 0 : Inspect(buffer[..inner.Read(buffer)]);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Inspect(ReadOnlySpan<byte> data)
        {
            if (!SawContent && data.IndexOfAnyExcept(" \t\r\n"u8) is >= 0 and var first)
            {
                SawContent = true;
                FirstByte = data[first];
            }

            if (maxLineBytes is not { } max)
            {
                return data.Length;
            }

            for (var offset = 0; ;)
            {
                var newline = data[offset..].IndexOf((byte)'\n');
                var length = newline < 0 ? data.Length - offset : newline;
                if (_lineBytes + length > max)
                {
                    // Hand over the complete lines only; the reader sees the body end here.
                    _ended = true;
                    LineTooLong = _line;
                    return offset;
                }

                if (newline < 0)
                {
                    _lineBytes += length;
                    return data.Length;
                }

                _line++;
                _lineBytes = 0;
                offset += newline + 1;
            }
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        // The request owns the inner stream: leave it open.
        protected override void Dispose(bool disposing)
        {
            _ended = true;
            base.Dispose(disposing);
        }
    }
}
