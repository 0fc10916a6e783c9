using System.Data;
using System.Globalization;
using Agents.Analytics.Semantic;
using Npgsql;

namespace Agents.Analytics.Execution;

public sealed class AnalyticsOptions
{
    public const string Section = "Analytics";

    /// <summary>Longest an analytics statement may run before PostgreSQL cancels it.</summary>
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most rows an answer carries; a query returning more is cut and says so.</summary>
    public int RowCap { get; set; } = 1000;
}

/// <summary>Columns and rows of an analytics query, values already JSON-friendly (numbers, strings, ISO dates).</summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows, bool Truncated, double Milliseconds);

/// <summary>The database refused or cut short an analytics query (timeout, permission, bad SQL).</summary>
public sealed class AnalyticsQueryException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary><c>timeout</c>, <c>permission</c>, <c>invalid</c> or <c>tampered</c>.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// Runs analytics SQL — the semantic layer's and a hosted model's alike — under guardrails the
/// database enforces: a READ ONLY transaction, the <c>agents_analytics</c> role (it can read the
/// analytics views and nothing else), the merchant in <c>agents.merchant_id</c> that the views'
/// row-level security filters on, <c>search_path</c> = analytics, a statement timeout and a row
/// cap. The transaction is always rolled back. If the statement managed to change the merchant
/// setting, its rows are thrown away.
/// </summary>
public sealed class AnalyticsQueryRunner(NpgsqlDataSource dataSource, Microsoft.Extensions.Options.IOptions<AnalyticsOptions> options)
{
    public const string Role = "agents_analytics";

    public async Task<QueryResult> RunAsync(Guid merchantId, string sql, IReadOnlyList<SqlArgument> arguments, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var setup = new NpgsqlCommand($"""
            SET TRANSACTION READ ONLY;
            SET LOCAL ROLE {Role};
            SET LOCAL search_path = analytics;
            SET LOCAL statement_timeout = {(int)settings.StatementTimeout.TotalMilliseconds};
            SET LOCAL idle_in_transaction_session_timeout = {(int)settings.StatementTimeout.TotalMilliseconds * 2};
            SELECT set_config('agents.merchant_id', @merchant, true);
            """, connection, transaction))
        {
            setup.Parameters.AddWithValue("merchant", merchantId.ToString());
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        var columns = new List<string>();
        var rows = new List<object?[]>();
        var truncated = false;
        try
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            foreach (var argument in arguments)
            {
                command.Parameters.AddWithValue(argument.Name, argument.Value);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                columns.Add(reader.GetName(i));
            }

            while (await reader.ReadAsync(cancellationToken))
            {
                if (rows.Count == settings.RowCap)
                {
                    truncated = true;
                    break;
                }

                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = Plain(reader.IsDBNull(i) ? null : reader.GetValue(i));
                }

                rows.Add(row);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled)
        {
            throw new AnalyticsQueryException("timeout", $"The query took longer than {settings.StatementTimeout.TotalSeconds:0.#} s and was cancelled.", e);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ReadOnlySqlTransaction)
        {
            throw new AnalyticsQueryException("permission", "The query tried to read or change something analytics may not touch.", e);
        }
        catch (PostgresException e)
        {
            throw new AnalyticsQueryException("invalid", $"The query failed: {e.MessageText}", e);
        }

        await using (var check = new NpgsqlCommand("SELECT current_setting('agents.merchant_id', true)", connection, transaction))
        {
            if (await check.ExecuteScalarAsync(cancellationToken) as string != merchantId.ToString())
            {
                throw new AnalyticsQueryException("tampered", "The query changed the merchant it runs for; its result was discarded.");
            }
        }

        await transaction.RollbackAsync(cancellationToken);
        return new QueryResult(columns, rows, truncated, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Values as they should appear in JSON: dates as ISO strings, integers as long, numerics as decimal.</summary>
    private static object? Plain(object? value) => value switch
    {
        null => null,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.Kind == DateTimeKind.Utc ? new DateTimeOffset(t).ToString("O", CultureInfo.InvariantCulture) : t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        int i => (long)i,
        short s => (long)s,
        double x => double.IsFinite(x) ? Math.Round((decimal)x, 6) : null,
        float x => float.IsFinite(x) ? Math.Round((decimal)x, 6) : null,
        Guid g => g.ToString(),
        _ => value,
    };
}
