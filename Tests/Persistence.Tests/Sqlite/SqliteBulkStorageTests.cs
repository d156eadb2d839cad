using AdWallet.Persistence.Sqlite;

namespace AdWallet.Persistence.Tests.Sqlite;

public sealed class SqliteBulkStorageTests : BulkStorageConformance, IAsyncLifetime
{
    private readonly SqliteTestDatabase _folder = new();

    protected override async Task<(IKeySetStorage Sets, IBlobStorage Blobs)> CreateStorageAsync()
    {
        var database = await _folder.StartAsync();
        return (new SqliteKeySetStorage(database), new SqliteBlobStorage(database));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();
}
