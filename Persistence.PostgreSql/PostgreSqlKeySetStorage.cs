using NpgsqlTypes;

namespace AdWallet.Persistence.PostgreSql;

/// <summary>
/// <see cref="IKeySetStorage"/> in the cluster's PostgreSQL database (tables <c>key_set</c> and <c>key_set_member</c>).
/// A batch of members is one statement in the shared writer's transaction; members are inserted in order, so that two
/// silos adding to one set lock its rows in the same order.
/// </summary>
public sealed class PostgreSqlKeySetStorage(PostgreSqlDatabase database) : IKeySetStorage
{
    /// <summary>Members removed per transaction when a whole set is deleted.</summary>
    public const int DeleteBatchSize = 10_000;

    private const string SetIdSql = "SELECT id FROM key_set WHERE name = @name";

    public Task AddAsync(string set, IReadOnlyCollection<string> members, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) return Task.CompletedTask;
        var sorted = members.Order(StringComparer.Ordinal).ToArray();
        return database.WriteAsync(LockKey(set), async session =>
        {
            await using var command = session.Command("""
                WITH s AS (
                    INSERT INTO key_set (name) VALUES (@name)
                    ON CONFLICT (name) DO UPDATE SET name = excluded.name
                    RETURNING id
                )
                INSERT INTO key_set_member (set_id, member)
                SELECT s.id, m.member FROM s, unnest(@members) AS m (member)
                ON CONFLICT DO NOTHING
                """)
                .Bind("name", NpgsqlDbType.Text, set)
                .Bind("members", NpgsqlDbType.Array | NpgsqlDbType.Text, sorted);
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }, cancellationToken);
    }

    public async Task<long> CountAsync(string set, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        await using var command = database.CreateReadCommand($"SELECT COUNT(*) FROM key_set_member WHERE set_id = ({SetIdSql})")
            .Bind("name", NpgsqlDbType.Text, set);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<long> CountCommonAsync(string set, string other, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        ArgumentException.ThrowIfNullOrEmpty(other);
        await using var command = database.CreateReadCommand("""
            SELECT COUNT(*)
            FROM key_set_member AS a
            JOIN key_set_member AS b ON b.set_id = (SELECT id FROM key_set WHERE name = @other) AND b.member = a.member
            WHERE a.set_id = (SELECT id FROM key_set WHERE name = @set)
            """)
            .Bind("set", NpgsqlDbType.Text, set)
            .Bind("other", NpgsqlDbType.Text, other);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<string>> ListDescendingAsync(string set, string? before, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = database.CreateReadCommand($"""
            SELECT member FROM key_set_member
            WHERE set_id = ({SetIdSql}) AND (@before::text IS NULL OR member < @before COLLATE "C")
            ORDER BY member COLLATE "C" DESC
            LIMIT @limit
            """)
            .Bind("name", NpgsqlDbType.Text, set)
            .Bind("before", NpgsqlDbType.Text, before)
            .Bind("limit", NpgsqlDbType.Integer, limit);
        var page = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) page.Add(reader.GetString(0));
        return page;
    }

    public Task RemoveAsync(string set, IReadOnlyCollection<string> members, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) return Task.CompletedTask;
        var sorted = members.Order(StringComparer.Ordinal).ToArray();
        return database.WriteAsync(LockKey(set), async session =>
        {
            await using var command = session.Command($"DELETE FROM key_set_member WHERE set_id = ({SetIdSql}) AND member = ANY (@members)")
                .Bind("name", NpgsqlDbType.Text, set)
                .Bind("members", NpgsqlDbType.Array | NpgsqlDbType.Text, sorted);
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }, cancellationToken);
    }

    public async Task DeleteAsync(string set, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        while (true)
        {
            var deleted = await database.WriteAsync(LockKey(set), async session =>
            {
                await using var command = session.Command($"""
                    DELETE FROM key_set_member
                    WHERE set_id = ({SetIdSql})
                      AND member IN (SELECT member FROM key_set_member WHERE set_id = ({SetIdSql}) LIMIT @batch)
                    """)
                    .Bind("name", NpgsqlDbType.Text, set)
                    .Bind("batch", NpgsqlDbType.Integer, DeleteBatchSize);
                return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            if (deleted > 0) continue;
            await database.WriteAsync(LockKey(set), async session =>
            {
                await using var command = session.Command("DELETE FROM key_set WHERE name = @name").Bind("name", NpgsqlDbType.Text, set);
                return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return;
        }
    }

    private static string LockKey(string set) => "key_set:" + set;
}
