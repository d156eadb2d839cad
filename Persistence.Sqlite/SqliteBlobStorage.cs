namespace AdWallet.Persistence.Sqlite;

/// <summary><see cref="IBlobStorage"/> in the silo's SQLite database (table <c>blob_chunk</c>).</summary>
public sealed class SqliteBlobStorage(SqliteDatabase database) : IBlobStorage
{
    public Task WriteChunkAsync(string blob, int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blob);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var bytes = data.ToArray();
        return database.WriteAsync(session => session.Command("""
            INSERT INTO blob_chunk (blob, chunk, data) VALUES (@blob, @chunk, @data)
            ON CONFLICT (blob, chunk) DO UPDATE SET data = excluded.data
            """).Bind("@blob", blob).Bind("@chunk", index).Bind("@data", bytes).ExecuteNonQuery(), cancellationToken);
    }

    public Task<byte[]?> ReadChunkAsync(string blob, int index, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blob);
        return database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand()
                .Bind("@blob", blob)
                .Bind("@chunk", index);
            command.CommandText = "SELECT data FROM blob_chunk WHERE blob = @blob AND chunk = @chunk";
            return command.ExecuteScalar() as byte[];
        }, cancellationToken);
    }

    public Task DeleteAsync(string blob, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blob);
        return database.WriteAsync(session =>
            session.Command("DELETE FROM blob_chunk WHERE blob = @blob").Bind("@blob", blob).ExecuteNonQuery(), cancellationToken);
    }
}
