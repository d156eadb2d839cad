using NpgsqlTypes;

namespace AdWallet.Persistence.PostgreSql;

/// <summary><see cref="IBlobStorage"/> in the cluster's PostgreSQL database (table <c>blob_chunk</c>).</summary>
public sealed class PostgreSqlBlobStorage(PostgreSqlDatabase database) : IBlobStorage
{
    public Task WriteChunkAsync(string blob, int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blob);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var bytes = data.ToArray();
        return database.WriteAsync($"blob_chunk:{blob}:{index}", async session =>
        {
            await using var command = session.Command("""
                INSERT INTO blob_chunk (blob, chunk, data) VALUES (@blob, @chunk, @data)
                ON CONFLICT (blob, chunk) DO UPDATE SET data = excluded.data
                """)
                .Bind("blob", NpgsqlDbType.Text, blob)
                .Bind("chunk", NpgsqlDbType.Integer, index)
                .Bind("data", NpgsqlDbType.Bytea, bytes);
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }, cancellationToken);
    }

    public async Task<byte[]?> ReadChunkAsync(string blob, int index, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blob);
        await using var command = database.CreateReadCommand("SELECT data FROM blob_chunk WHERE blob = @blob AND chunk = @chunk")
            .Bind("blob", NpgsqlDbType.Text, blob)
            .Bind("chunk", NpgsqlDbType.Integer, index);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    public Task DeleteAsync(string blob, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blob);
        return database.WriteAsync($"blob_chunk:{blob}", async session =>
        {
            await using var command = session.Command("DELETE FROM blob_chunk WHERE blob = @blob").Bind("blob", NpgsqlDbType.Text, blob);
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }, cancellationToken);
    }
}
