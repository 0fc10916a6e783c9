using Npgsql;

namespace Agents.AgentHost.Chat;

/// <summary>
/// Turns of one conversation run one at a time, also across host processes: a PostgreSQL
/// session advisory lock keyed by the conversation, held on its own connection for the turn.
/// If the process dies the connection closes and the lock goes with it.
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

    public static async Task<ConversationLock> AcquireAsync(NpgsqlDataSource dataSource, Guid conversationId, CancellationToken cancellationToken)
    {
        var bytes = conversationId.ToByteArray();
        var key = BitConverter.ToInt32(bytes, 0) ^ BitConverter.ToInt32(bytes, 4) ^ BitConverter.ToInt32(bytes, 8) ^ BitConverter.ToInt32(bytes, 12);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@ns, @key)", connection);
            command.Parameters.AddWithValue("ns", Namespace);
            command.Parameters.AddWithValue("key", key);
            command.CommandTimeout = 0; // waits behind the conversation's previous turn
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new ConversationLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@ns, @key)", _connection);
            command.Parameters.AddWithValue("ns", Namespace);
            command.Parameters.AddWithValue("key", _key);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
