using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.PostgreSql;

/// <summary>
/// The database of a process that is not a silo, opened without migrating (<see cref="PostgreSqlDatabase.OpenWithoutMigrating"/>)
/// and closed with the service provider. Apart from the silo's <see cref="PostgreSqlDatabase"/> registration, so that
/// a process that is both never opens the silo's database without migrating it.
/// </summary>
internal sealed class PostgreSqlClientDatabase : IAsyncDisposable, IDisposable
{
    public PostgreSqlClientDatabase(IOptions<PostgreSqlStorageOptions> options, ILogger<PostgreSqlDatabase> logger)
    {
        Database = new PostgreSqlDatabase(options, logger);
        Database.OpenWithoutMigrating();
    }

    public PostgreSqlDatabase Database { get; }

    public ValueTask DisposeAsync() => Database.DisposeAsync();

    public void Dispose() => Database.Dispose();
}
