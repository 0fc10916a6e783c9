using Npgsql;

namespace Agents.AgentHost.Chat;

/// <summary>
/// Turns of one conversation run one at a time, also across host processes: a PostgreSQL
/// session advisory lock keyed by the conversation, taken on the turn's own connection (the
/// DbContext's, kept open for the turn), so a turn holds one pooled connection, not two. If the
/// process dies the connection closes and the lock goes with it.
/// </summary>
public sealed class ConversationLock : IAsyncDisposable
{
    /// <summary>The advisory-lock namespace of chat turns ('CHAT'), apart from the migration lock.</summary>
    private const int Namespace = 0x43484154;

    private readonly NpgsqlConnection _connection;
    private readonly int _key;

    private ConversationLock(NpgsqlConnection connection, int key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>Waits for the lock on <paramref name="connection"/>, which must stay open until the lock is disposed.</summary>
    public static async Task<ConversationLock> AcquireAsync(NpgsqlConnection connection, Guid conversationId, CancellationToken cancellationToken)
    {
        var bytes = conversationId.ToByteArray();
        var key = BitConverter.ToInt32(bytes, 0) ^ BitConverter.ToInt32(bytes, 4) ^ BitConverter.ToInt32(bytes, 8) ^ BitConverter.ToInt32(bytes, 12);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@ns, @key)", connection);
        command.Parameters.AddWithValue("ns", Namespace);
        command.Parameters.AddWithValue("key", key);
        command.CommandTimeout = 0; // waits behind the conversation's previous turn
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new ConversationLock(connection, key);
    }

    public async ValueTask DisposeAsync()
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@ns, @key)", _connection);
        command.Parameters.AddWithValue("ns", Namespace);
        command.Parameters.AddWithValue("key", _key);
        await command.ExecuteNonQueryAsync();
    }
}
