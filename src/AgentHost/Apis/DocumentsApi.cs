using System.Diagnostics;
using System.Text.Json;
using Agents.AgentHost.Auth;
using Agents.AgentHost.Infrastructure;
using Agents.Data;
using Agents.Retrieval.Indexing;
using Agents.Retrieval.Search;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Agents.AgentHost.Apis;

public sealed record DocumentRequest(string? Type, string? Title, string? Body, string? Language, JsonElement? Metadata, string? SourceId);

public sealed record DocumentCreated(Guid Id, string Language, int Chunks);

public sealed record DocumentDto(Guid Id, string Type, string Title, string Body, string Language, bool LanguageDetected, JsonElement Metadata,
    string? SourceId, int Chunks, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? IndexedAt);

public sealed record BulkLineError(int Line, string Error);

public sealed record BulkResult(int Received, int Created, int Updated, int Failed, IReadOnlyList<BulkLineError> Errors, IReadOnlyList<Guid> Ids);

public sealed record SearchResultDto(Guid DocumentId, Guid ChunkId, string Title, string Snippet, string Type, string Language, string? SourceId,
    double Score, SearchRanks Ranks);

public sealed record SearchResponse(IReadOnlyList<SearchResultDto> Results, string QueryLanguage);

public sealed record DocumentServices(AgentsDbContext Db, TenantContext Tenant, DocumentStore Store, ILogger<DocumentStore> Logger);

public static class DocumentsApi
{
    public const int MaxBulkDocuments = 10_000;
    private const int BulkBatch = 100;

    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/documents").RequireAuthorization(AgentPolicies.SecretKey).WithTags("Documents");
        api.MapPost("/", CreateDocument).WithSummary("Store and index one document; with a sourceId it replaces the document of the same type, sourceId and language.");
        api.MapPost("/bulk", BulkUpload).WithMetadata(new RequestSizeLimitAttribute(64L * 1024 * 1024))
            .Accepts<DocumentRequest[]>("application/json", "application/x-ndjson")
            .WithSummary("Up to 10,000 documents as a JSON array or NDJSON; per-line errors, valid lines kept.");
        api.MapGet("/search", Search).WithSummary("Hybrid search (vector + full text + title trigrams, fused by reciprocal rank).");
        api.MapGet("/{id:guid}", GetDocument);
        api.MapDelete("/{id:guid}", DeleteDocument).WithSummary("Delete a document and its chunks.");
        return app;
    }

    public static async Task<Results<Created<DocumentCreated>, Ok<DocumentCreated>, ValidationProblem>> CreateDocument(
        DocumentRequest request, [AsParameters] DocumentServices services, CancellationToken cancellationToken)
    {
        var (input, errors) = Validate(request);
        if (input is null)
        {
            return TypedResults.ValidationProblem(errors!);
        }

        var stored = (await services.Store.UpsertAsync(services.Tenant.MerchantId!.Value, [input], cancellationToken))[0];
        var body = new DocumentCreated(stored.Id, stored.Language, stored.Chunks);
        return stored.Created ? TypedResults.Created($"/api/documents/{stored.Id}", body) : TypedResults.Ok(body);
    }

    public static async Task<Ok<BulkResult>> BulkUpload(HttpRequest request, [AsParameters] DocumentServices services, CancellationToken cancellationToken)
    {
        var merchantId = services.Tenant.MerchantId!.Value;
        var ndjson = request.ContentType?.Contains("ndjson", StringComparison.OrdinalIgnoreCase) == true;
        var errors = new List<BulkLineError>();
        var ids = new List<Guid>();
        var batch = new List<(int Line, DocumentInput Input)>();
        int received = 0, created = 0, updated = 0;
        var started = Stopwatch.GetTimestamp();

        async Task FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            try
            {
                var stored = await services.Store.UpsertAsync(merchantId, batch.ConvertAll(b => b.Input), cancellationToken);
                ids.AddRange(stored.Select(s => s.Id));
                created += stored.Count(s => s.Created);
                updated += stored.Count(s => !s.Created);
                services.Logger.LogInformation("Bulk upload for {Merchant}: {Done} documents indexed ({Rate:F0}/s)",
                    merchantId, ids.Count, ids.Count / Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed batch is reported line by line; earlier batches stay committed.
                services.Logger.LogError(e, "Bulk upload batch failed for {Merchant}", merchantId);
                errors.AddRange(batch.Select(b => new BulkLineError(b.Line, "Not stored: the batch holding this line failed; retry these lines.")));
            }

            batch.Clear();
        }

        await foreach (var (line, element, parseError) in BulkReader.ReadAsync(request.Body, ndjson, cancellationToken))
        {
            received++;
            if (received > MaxBulkDocuments)
            {
                errors.Add(new BulkLineError(line, $"A bulk upload takes at most {MaxBulkDocuments:N0} documents; this line and the rest were not read."));
                break;
            }

            if (parseError is not null)
            {
                errors.Add(new BulkLineError(line, parseError));
                continue;
            }

            DocumentRequest? document;
            try
            {
                document = element.Deserialize<DocumentRequest>(JsonSerializerOptions.Web);
            }
            catch (JsonException e)
            {
                errors.Add(new BulkLineError(line, $"'{e.Path?.TrimStart('$', '.')}' has the wrong type."));
                continue;
            }

            var (input, fieldErrors) = Validate(document ?? new DocumentRequest(null, null, null, null, null, null));
            if (input is null)
            {
                errors.Add(new BulkLineError(line, string.Join(" ", fieldErrors!.SelectMany(e => e.Value))));
                continue;
            }

            batch.Add((line, input));
            if (batch.Count == BulkBatch)
            {
                await FlushAsync();
            }
        }

        await FlushAsync();
        return TypedResults.Ok(new BulkResult(Math.Min(received, MaxBulkDocuments), created, updated, errors.Count, errors.OrderBy(e => e.Line).ToList(), ids));
    }

    public static async Task<Results<Ok<DocumentDto>, NotFound>> GetDocument(Guid id, AgentsDbContext db, CancellationToken cancellationToken)
    {
        var document = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (document is null)
        {
            return TypedResults.NotFound();
        }

        var info = await db.Database.SqlQuery<ChunkInfo>(
            $"SELECT count(*)::int AS \"Chunks\", bool_or(language_detected) AS \"Detected\", max(indexed_at) AS \"IndexedAt\" FROM documents d LEFT JOIN document_chunks c ON c.document_id = d.id WHERE d.id = {id} AND d.merchant_id = {document.MerchantId} GROUP BY d.id")
            .SingleAsync(cancellationToken);
        return TypedResults.Ok(new DocumentDto(document.Id, document.Type, document.Title, document.Body, document.Language, info.Detected ?? false,
            JsonDocument.Parse(document.Metadata).RootElement, document.SourceId, info.Chunks, document.CreatedAt, document.UpdatedAt, info.IndexedAt));
    }

    private sealed record ChunkInfo(int Chunks, bool? Detected, DateTimeOffset? IndexedAt);

    public static async Task<Results<NoContent, NotFound>> DeleteDocument(Guid id, DocumentStore store, TenantContext tenant, CancellationToken cancellationToken) =>
        await store.DeleteAsync(tenant.MerchantId!.Value, id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    public static async Task<Results<Ok<SearchResponse>, ValidationProblem>> Search(
        string? q, int? k, string? type, string? language, string? mode, HybridSearch search, TenantContext tenant, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Required("q", q, maxLength: 1000)
            .OneOf("type", type, DocumentTypes.All, required: false)
            .OneOf("language", language, Validation.Languages, required: false)
            .OneOf("mode", mode, ["hybrid", "vector", "text"], required: false)
            .Range("k", k, 1, 50);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var searchMode = mode switch { "vector" => SearchMode.Vector, "text" => SearchMode.Text, _ => SearchMode.Hybrid };
        var found = await search.SearchAsync(tenant.MerchantId!.Value, new SearchQuery(q!, k ?? 5, type, language, searchMode), cancellationToken);
        return TypedResults.Ok(new SearchResponse(found.Hits.Select(h =>
            new SearchResultDto(h.DocumentId, h.ChunkId, h.Title, h.Snippet, h.Type, h.Language, h.SourceId, Math.Round(h.Score, 6), h.Ranks)).ToList(),
            found.QueryLanguage));
    }

    private static (DocumentInput? Input, Dictionary<string, string[]>? Errors) Validate(DocumentRequest request)
    {
        var validation = new Validation()
            .OneOf("type", request.Type, DocumentTypes.All)
            .Required("title", request.Title, maxLength: 500)
            .Required("body", request.Body, maxLength: 200_000)
            .OneOf("language", request.Language, Validation.Languages, required: false);
        if (request.Metadata is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
        {
            validation.Add("metadata", "'metadata' must be a JSON object.");
        }

        if (request.SourceId is { Length: > 200 })
        {
            validation.Add("sourceId", "'sourceId' must be at most 200 characters.");
        }

        if (!validation.IsValid)
        {
            return (null, validation.Errors);
        }

        var metadata = request.Metadata is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : "{}";
        return (new DocumentInput(request.Type!, request.Title!.Trim(), request.Body!.Trim(), request.Language, metadata, request.SourceId), null);
    }
}
