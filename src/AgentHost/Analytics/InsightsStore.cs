using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Agents.AgentHost.Analytics;

/// <summary>The run that produced a kind of insight: when, why, and its quality metrics (AUC, sizes…).</summary>
public sealed record InsightRunDto(Guid Id, string Kind, string Trigger, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    JsonElement Metrics, string? Error);

/// <summary>
/// Reads the data the insight models learn from, and keeps their latest results per merchant.
/// Every statement names the merchant; results are replaced in one transaction with the run
/// that produced them, so readers see the previous run or the new one, never half of each.
/// </summary>
public sealed class InsightsStore(NpgsqlDataSource dataSource)
{
    public const string Counted = "status IN ('paid', 'shipped', 'delivered')";

    public sealed record DailyRow(DateOnly Day, decimal Revenue, int Orders);

    public sealed record OrderRow(Guid CustomerId, DateOnly Day, decimal Total);

    public sealed record CustomerRow(Guid CustomerId, DateOnly Since);

    public async Task<List<DailyRow>> DailyAsync(Guid merchantId, DateOnly today, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT (created_at AT TIME ZONE 'UTC')::date AS day, sum(total), count(*)::int
            FROM orders WHERE merchant_id = @m AND {Counted} AND created_at < @today
            GROUP BY 1 ORDER BY 1
            """);
        command.Parameters.AddWithValue("m", merchantId);
        command.Parameters.AddWithValue("today", Midnight(today));
        var rows = new List<DailyRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DailyRow(reader.GetFieldValue<DateOnly>(0), reader.GetDecimal(1), reader.GetInt32(2)));
        }

        return rows;
    }

    /// <summary>Revenue and orders of each category (item revenue) and channel on each of <paramref name="days"/>.</summary>
    public async Task<List<(string Dimension, string Key, DateOnly Day, decimal Revenue, int Orders)>> BreakdownAsync(
        Guid merchantId, IReadOnlyCollection<DateOnly> days, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT 'channel', o.channel, (o.created_at AT TIME ZONE 'UTC')::date, sum(o.total), count(*)::int
            FROM orders o WHERE o.merchant_id = @m AND o.{Counted} AND (o.created_at AT TIME ZONE 'UTC')::date = ANY(@days)
            GROUP BY 2, 3
            UNION ALL
            SELECT 'category', coalesce(i.category, 'other'), (o.created_at AT TIME ZONE 'UTC')::date, sum(i.quantity * i.unit_price), count(DISTINCT o.id)::int
            FROM orders o JOIN order_items i ON i.order_id = o.id
            WHERE o.merchant_id = @m AND o.{Counted} AND (o.created_at AT TIME ZONE 'UTC')::date = ANY(@days)
            GROUP BY 2, 3
            """);
        command.Parameters.AddWithValue("m", merchantId);
        command.Parameters.AddWithValue("days", days.ToArray());
        var rows = new List<(string, string, DateOnly, decimal, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), reader.GetDecimal(3), reader.GetInt32(4)));
        }

        return rows;
    }

    public async Task<List<OrderRow>> OrdersAsync(Guid merchantId, DateOnly today, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT customer_id, (created_at AT TIME ZONE 'UTC')::date, total
            FROM orders WHERE merchant_id = @m AND {Counted} AND customer_id IS NOT NULL AND created_at < @today
            """);
        command.Parameters.AddWithValue("m", merchantId);
        command.Parameters.AddWithValue("today", Midnight(today));
        var rows = new List<OrderRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OrderRow(reader.GetGuid(0), reader.GetFieldValue<DateOnly>(1), reader.GetDecimal(2)));
        }

        return rows;
    }

    public async Task<List<CustomerRow>> CustomersAsync(Guid merchantId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, (created_at AT TIME ZONE 'UTC')::date FROM customers WHERE merchant_id = @m AND erased_at IS NULL
            """);
        command.Parameters.AddWithValue("m", merchantId);
        var rows = new List<CustomerRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new CustomerRow(reader.GetGuid(0), reader.GetFieldValue<DateOnly>(1)));
        }

        return rows;
    }

    public async Task<Guid> StartRunAsync(Guid merchantId, string kind, string trigger, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        await using var command = dataSource.CreateCommand("""
            INSERT INTO insight_runs (id, merchant_id, kind, trigger, started_at, status) VALUES (@id, @m, @k, @t, now(), 'running')
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("m", merchantId);
        command.Parameters.AddWithValue("k", kind);
        command.Parameters.AddWithValue("t", trigger);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    public async Task FailRunAsync(Guid runId, string error)
    {
        await using var command = dataSource.CreateCommand("UPDATE insight_runs SET status = 'failed', finished_at = now(), error = @e WHERE id = @id");
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("e", error.Length > 500 ? error[..500] : error);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Replaces the merchant's rows of <paramref name="table"/> with the run's, and marks the run succeeded, atomically.</summary>
    public async Task ReplaceAsync(Guid merchantId, Guid runId, string table, string columns, Action<NpgsqlBinaryImporter> write, object metrics,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = new NpgsqlCommand($"DELETE FROM {table} WHERE merchant_id = @m", connection, transaction))
        {
            delete.Parameters.AddWithValue("m", merchantId);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var importer = await connection.BeginBinaryImportAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            write(importer);
            await importer.CompleteAsync(cancellationToken);
        }

        await using (var finish = new NpgsqlCommand("UPDATE insight_runs SET status = 'succeeded', finished_at = now(), metrics = @metrics WHERE id = @id",
            connection, transaction))
        {
            finish.Parameters.AddWithValue("id", runId);
            finish.Parameters.Add(new NpgsqlParameter("metrics", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(metrics, JsonSerializerOptions.Web) });
            await finish.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<InsightRunDto?> LatestRunAsync(Guid merchantId, string kind, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, kind, trigger, status, started_at, finished_at, metrics::text, error FROM insight_runs
            WHERE merchant_id = @m AND kind = @k AND status = 'succeeded' ORDER BY started_at DESC LIMIT 1
            """);
        command.Parameters.AddWithValue("m", merchantId);
        command.Parameters.AddWithValue("k", kind);
        return await ReadRunAsync(command, cancellationToken);
    }

    public async Task<InsightRunDto?> RunAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, kind, trigger, status, started_at, finished_at, metrics::text, error FROM insight_runs WHERE id = @id");
        command.Parameters.AddWithValue("id", runId);
        return await ReadRunAsync(command, cancellationToken);
    }

    private static async Task<InsightRunDto?> ReadRunAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new InsightRunDto(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
            JsonDocument.Parse(reader.GetString(6)).RootElement.Clone(), reader.IsDBNull(7) ? null : reader.GetString(7));
    }

    public async Task<List<Guid>> MerchantsWithOrdersAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM merchants m WHERE status <> 'suspended' AND EXISTS (SELECT FROM orders o WHERE o.merchant_id = m.id)");
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    public NpgsqlDataSource DataSource => dataSource;

    private static DateTime Midnight(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
}
