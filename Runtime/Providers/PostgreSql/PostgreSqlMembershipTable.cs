using Granary.Hosting;
using Granary.Membership;
using Npgsql;
using NpgsqlTypes;

namespace Granary.PostgreSql;

/// <summary>
/// The membership table in the cluster's PostgreSQL database (table <c>silos</c>, migration 3). Every change is one
/// conditional statement, so concurrent silos never both win a transition and a dead row never comes back.
/// </summary>
/// <remarks>
/// Writes do not go through the silo's group-commit writer: each runs as one statement on a pooled connection and
/// commits on its own. A heartbeat queued behind a batch of hundreds of grain-state writes (which may itself wait for
/// row locks held by other silos' batches) could arrive late enough to get a healthy silo declared dead; membership
/// writes are rare (one per silo per heartbeat period) and need no batching. It also lets a cluster client, which has
/// no writer (<see cref="PostgreSqlDatabase.OpenWithoutMigrating"/>), use the table.
/// </remarks>
public sealed class PostgreSqlMembershipTable : IMembershipTable
{
    private const string Dead = nameof(SiloStatus.Dead);

    private const string ReadAllSql = """
        SELECT host, port, generation, status, host_name, started_at, i_am_alive_at, activation_count
        FROM silos ORDER BY host, port, generation
        """;

    private const string InsertSql = """
        INSERT INTO silos (host, port, generation, status, host_name, started_at, i_am_alive_at, activation_count)
        VALUES (@host, @port, @generation, @status, @host_name, @started_at, @i_am_alive_at, @activation_count)
        ON CONFLICT (host, port, generation) DO NOTHING
        """;

    private const string KeyCondition = "host = @host AND port = @port AND generation = @generation";

    // A concurrent DeclareDead locks the row first or second; either way this WHERE is evaluated again on the row as
    // committed, so a heartbeat never revives a row declared dead meanwhile.
    private const string UpdateSql = $"""
        UPDATE silos SET status = @status, i_am_alive_at = @i_am_alive_at, activation_count = @activation_count
        WHERE {KeyCondition} AND status <> '{Dead}'
        """;

    private const string DeclareDeadSql = $"""
        UPDATE silos SET status = '{Dead}'
        WHERE {KeyCondition} AND status <> '{Dead}' AND i_am_alive_at < @before
        """;

    private const string CleanupSql = $"DELETE FROM silos WHERE status = '{Dead}' AND i_am_alive_at < @before";

    private readonly PostgreSqlDatabase _database;

    public PostgreSqlMembershipTable(PostgreSqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    public async Task<IReadOnlyList<MembershipEntry>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        var rows = new List<MembershipEntry>();
        await using var command = _database.CreateReadCommand(ReadAllSql);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new MembershipEntry(
                    new SiloAddress(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2)),
                    ToStatus(reader.GetString(3)),
                    reader.GetString(4),
                    PostgreSqlColumns.ToTimestamp(reader.GetInt64(5)),
                    PostgreSqlColumns.ToTimestamp(reader.GetInt64(6)),
                    reader.GetInt32(7)));
            }
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            throw NoTable(exception);
        }
        return rows;
    }

    public async Task<bool> InsertRowAsync(MembershipEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (host, port, generation) = Key(entry.Address);
        var status = FromStatus(entry.Status);
        var hostName = PostgreSqlColumns.CheckText(entry.HostName ?? throw new ArgumentNullException(nameof(entry), "The entry has no host name."), nameof(entry));
        await using var command = _database.CreateCommand(InsertSql)
            .Bind("host", NpgsqlDbType.Text, host)
            .Bind("port", NpgsqlDbType.Integer, port)
            .Bind("generation", NpgsqlDbType.Bigint, generation)
            .Bind("status", NpgsqlDbType.Text, status)
            .Bind("host_name", NpgsqlDbType.Text, hostName)
            .Bind("started_at", NpgsqlDbType.Bigint, PostgreSqlColumns.FromTimestamp(entry.StartedAt))
            .Bind("i_am_alive_at", NpgsqlDbType.Bigint, PostgreSqlColumns.FromTimestamp(entry.IAmAliveAt))
            .Bind("activation_count", NpgsqlDbType.Integer, entry.ActivationCount);
        return await ExecuteAsync(command, cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> UpdateRowAsync(SiloAddress address, SiloStatus status, DateTimeOffset iAmAliveAt, int activationCount,
        CancellationToken cancellationToken = default)
    {
        var (host, port, generation) = Key(address);
        var statusText = FromStatus(status);
        await using var command = _database.CreateCommand(UpdateSql)
            .Bind("host", NpgsqlDbType.Text, host)
            .Bind("port", NpgsqlDbType.Integer, port)
            .Bind("generation", NpgsqlDbType.Bigint, generation)
            .Bind("status", NpgsqlDbType.Text, statusText)
            .Bind("i_am_alive_at", NpgsqlDbType.Bigint, PostgreSqlColumns.FromTimestamp(iAmAliveAt))
            .Bind("activation_count", NpgsqlDbType.Integer, activationCount);
        return await ExecuteAsync(command, cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> DeclareDeadAsync(SiloAddress address, DateTimeOffset heartbeatBefore, CancellationToken cancellationToken = default)
    {
        var (host, port, generation) = Key(address);
        await using var command = _database.CreateCommand(DeclareDeadSql)
            .Bind("host", NpgsqlDbType.Text, host)
            .Bind("port", NpgsqlDbType.Integer, port)
            .Bind("generation", NpgsqlDbType.Bigint, generation)
            .Bind("before", NpgsqlDbType.Bigint, PostgreSqlColumns.FromTimestamp(heartbeatBefore));
        return await ExecuteAsync(command, cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<int> CleanupDefunctAsync(DateTimeOffset heartbeatBefore, CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand(CleanupSql)
            .Bind("before", NpgsqlDbType.Bigint, PostgreSqlColumns.FromTimestamp(heartbeatBefore));
        return await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static (string Host, int Port, long Generation) Key(SiloAddress address)
    {
        var host = address.Host ?? throw new ArgumentNullException(nameof(address), "The silo address has no host.");
        return (PostgreSqlColumns.CheckText(host, nameof(address)), address.Port, address.Generation);
    }

    /// <summary>Runs a statement, committed on its own; returns how many rows it changed.</summary>
    private async Task<int> ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            throw NoTable(exception);
        }
    }

    private static string FromStatus(SiloStatus status) =>
        Enum.IsDefined(status) ? status.ToString() : throw new ArgumentOutOfRangeException(nameof(status), status, "Not a silo status.");

    private static SiloStatus ToStatus(string value) =>
        Enum.TryParse<SiloStatus>(value, ignoreCase: false, out var status) && Enum.IsDefined(status) && value == status.ToString()
            ? status
            : throw new InvalidOperationException($"The membership table holds the unknown silo status '{value}'.");

    private InvalidOperationException NoTable(PostgresException exception) => new(
        $"The membership table 'silos' does not exist in the PostgreSQL schema {_database.Schema}: no silo has created the schema " +
        "yet (silos create and migrate it when they start; a client only reads it), or the client's Postgres:Schema names another schema.",
        exception);
}
