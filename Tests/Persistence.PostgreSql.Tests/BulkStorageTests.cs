using AdWallet.Persistence.Tests;

namespace AdWallet.Persistence.PostgreSql.Tests;

/// <summary>The key-set and blob contract (<see cref="BulkStorageConformance"/>) on a real PostgreSQL server.</summary>
public sealed class BulkStorageTests : BulkStorageConformance, IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private PostgreSqlDatabase? _started;

    protected override async Task<(IKeySetStorage Sets, IBlobStorage Blobs)> CreateStorageAsync()
    {
        _started ??= await _database.StartAsync();
        return (new PostgreSqlKeySetStorage(_started), new PostgreSqlBlobStorage(_started));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _database.DisposeAsync();
}
