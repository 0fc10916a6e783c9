using Agents.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Agents.AgentHost.Infrastructure;

/// <summary>
/// One at a time per resource, also across host processes: a PostgreSQL session advisory lock
/// keyed by (namespace, resource id), taken on the unit of work's own connection (the DbContext's,
/// kept open while the lock is held), so it costs no second pooled connection. If the process dies
/// the connection closes and the lock goes with it.
/// </summary>
public sealed class AdvisoryLock : IAsyncDisposable
{
    /// <summary>Turns of one conversation ('CHAT').</summary>
    public const int Conversation = 0x43484154;

    /// <summary>Payments of one order, across its pay links ('PAYS').</summary>
    public const int OrderPayment = 0x50415953;

    private readonly AgentsDbContext _db;
    private readonly int _namespace;
    private readonly int _key;

    private AdvisoryLock(AgentsDbContext db, int @namespace, int key)
    {
        _db = db;
        _namespace = @namespace;
        _key = key;
    }

    /// <summary>Opens the context's connection (it stays open until disposal) and waits for the lock.</summary>
    public static async Task<AdvisoryLock> AcquireAsync(AgentsDbContext db, int @namespace, Guid resource, CancellationToken cancellationToken)
    {
        var bytes = resource.ToByteArray();
        var key = BitConverter.ToInt32(bytes, 0) ^ BitConverter.ToInt32(bytes, 4) ^ BitConverter.ToInt32(bytes, 8) ^ BitConverter.ToInt32(bytes, 12);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = Command(db, "SELECT pg_advisory_lock(@ns, @key)", @namespace, key);
            command.CommandTimeout = 0; // waits behind the holder, however long its work takes
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }

        return new AdvisoryLock(db, @namespace, key);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = Command(_db, "SELECT pg_advisory_unlock(@ns, @key)", _namespace, _key);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }

    private static NpgsqlCommand Command(AgentsDbContext db, string sql, int @namespace, int key)
    {
        var command = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.AddWithValue("ns", @namespace);
        command.Parameters.AddWithValue("key", key);
        return command;
    }
}
