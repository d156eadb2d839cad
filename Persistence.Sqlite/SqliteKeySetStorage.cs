namespace AdWallet.Persistence.Sqlite;

/// <summary>
/// <see cref="IKeySetStorage"/> in the silo's SQLite database (tables <c>key_set</c> and <c>key_set_member</c>).
/// Writes go through the database's single writer, so a batch of members shares a transaction with other grains'
/// writes; reads run on the read-only connections.
/// </summary>
public sealed class SqliteKeySetStorage(SqliteDatabase database) : IKeySetStorage
{
    /// <summary>Members removed per transaction when a whole set is deleted.</summary>
    public const int DeleteBatchSize = 10_000;

    private const string SetIdSql = "SELECT id FROM key_set WHERE name = @name";

    public Task AddAsync(string set, IReadOnlyCollection<string> members, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) return Task.CompletedTask;
        return database.WriteAsync(session =>
        {
            session.Command("INSERT INTO key_set (name) VALUES (@name) ON CONFLICT (name) DO NOTHING").Bind("@name", set).ExecuteNonQuery();
            var id = (long)session.Command(SetIdSql).Bind("@name", set).ExecuteScalar()!;
            var insert = session.Statement("INSERT INTO key_set_member (set_id, member) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
            foreach (var member in members)
            {
                insert.Bind(1, id);
                insert.Bind(2, member);
                insert.Execute();
            }
            return true;
        }, cancellationToken);
    }

    public Task<long> CountAsync(string set, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        return database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand()
                .Bind("@name", set);
            command.CommandText = $"SELECT COUNT(*) FROM key_set_member WHERE set_id = ({SetIdSql})";
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);
    }

    public Task<long> CountCommonAsync(string set, string other, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        ArgumentException.ThrowIfNullOrEmpty(other);
        return database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand()
                .Bind("@set", set)
                .Bind("@other", other);
            command.CommandText = """
                SELECT COUNT(*)
                FROM key_set_member AS a
                JOIN key_set_member AS b ON b.set_id = (SELECT id FROM key_set WHERE name = @other) AND b.member = a.member
                WHERE a.set_id = (SELECT id FROM key_set WHERE name = @set)
                """;
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListDescendingAsync(string set, string? before, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return database.ReadAsync<IReadOnlyList<string>>(connection =>
        {
            using var command = connection.CreateCommand()
                .Bind("@name", set)
                .Bind("@before", before)
                .Bind("@limit", limit);
            command.CommandText = $"""
                SELECT member FROM key_set_member
                WHERE set_id = ({SetIdSql}) AND (@before IS NULL OR member < @before)
                ORDER BY member DESC
                LIMIT @limit
                """;
            using var reader = command.ExecuteReader();
            var page = new List<string>();
            while (reader.Read()) page.Add(reader.GetString(0));
            return page;
        }, cancellationToken);
    }

    public Task RemoveAsync(string set, IReadOnlyCollection<string> members, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) return Task.CompletedTask;
        return database.WriteAsync(session =>
        {
            if (session.Command(SetIdSql).Bind("@name", set).ExecuteScalar() is not long id) return false;
            var delete = session.Statement("DELETE FROM key_set_member WHERE set_id = ?1 AND member = ?2");
            foreach (var member in members)
            {
                delete.Bind(1, id);
                delete.Bind(2, member);
                delete.Execute();
            }
            return true;
        }, cancellationToken);
    }

    public async Task DeleteAsync(string set, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        while (true)
        {
            var done = await database.WriteAsync(session =>
            {
                if (session.Command(SetIdSql).Bind("@name", set).ExecuteScalar() is not long id) return true;
                var deleted = session.Command("""
                    DELETE FROM key_set_member
                    WHERE set_id = @id AND member IN (SELECT member FROM key_set_member WHERE set_id = @id LIMIT @batch)
                    """).Bind("@id", id).Bind("@batch", DeleteBatchSize).ExecuteNonQuery();
                if (deleted > 0) return false;
                session.Command("DELETE FROM key_set WHERE id = @id").Bind("@id", id).ExecuteNonQuery();
                return true;
            }, cancellationToken).ConfigureAwait(false);
            if (done) return;
        }
    }
}
