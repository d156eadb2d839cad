using System.Net;
using System.Net.Sockets;
using AdWallet.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;

namespace AdWallet.Persistence.Tests.Sqlite;

public interface IProfileGrain : IGrainWithStringKey
{
    Task<int> Bump();

    Task<int> Count();

    Task Clear();

    Task Deactivate();
}

public sealed class ProfileState
{
    public int Count { get; set; }
}

/// <summary>A simple state with no storage name: Orleans looks its storage up under <c>Default</c>.</summary>
public sealed class ProfileGrain([PersistentState("profile")] IPersistentState<ProfileState> profile) : Grain, IProfileGrain
{
    public async Task<int> Bump()
    {
        profile.State.Count++;
        await profile.WriteStateAsync();
        return profile.State.Count;
    }

    public Task<int> Count() => Task.FromResult(profile.State.Count);

    public Task Clear() => profile.ClearStateAsync();

    public Task Deactivate()
    {
        this.DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public interface ILedgerGrain : IGrainWithStringKey
{
    Task<long> Add(long amount);

    Task<long> Total();

    Task<int> Entries();

    Task ScheduleSettlement();

    Task Deactivate();
}

public sealed record Added(long Amount);

public sealed class Ledger : IJournalProjection<Added>
{
    public long Total { get; set; }

    public void Apply(Added entry) => Total += entry.Amount;
}

public sealed class LedgerGrain([JournaledState("ledger")] IJournaledState<Ledger, Added> ledger) : Grain, ILedgerGrain, IRemindable
{
    public async Task<long> Add(long amount)
    {
        ledger.Append(new Added(amount), "added");
        await ledger.WriteStateAsync();
        return ledger.State.Total;
    }

    public Task<long> Total() => Task.FromResult(ledger.State.Total);

    public async Task<int> Entries() => (await ledger.ReadEntriesAsync(null, 100, ["added"])).Count;

    public Task ScheduleSettlement() => this.RegisterOrUpdateReminder("settle", TimeSpan.FromHours(1), TimeSpan.FromHours(1));

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public Task Deactivate()
    {
        this.DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

/// <summary>A real silo on a SQLite file: Orleans finds the providers where the extensions register them.</summary>
public sealed class SqliteSiloTests : IAsyncLifetime
{
    private readonly string _dataPath = Directory.CreateTempSubdirectory("adwallet-silo-").FullName;
    private IHost? _host;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Path"] = _dataPath });
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort())
            .AddSqliteStorage()
            .UseSqliteReminderService());
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataPath, recursive: true);
    }

    private IGrainFactory Grains => _host!.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task A_persistent_state_without_a_storage_name_is_stored_in_sqlite_and_survives_deactivation_and_clearing()
    {
        var grain = Grains.GetGrain<IProfileGrain>("alice");

        Assert.Equal(1, await grain.Bump());
        Assert.Equal(2, await grain.Bump());
        await grain.Deactivate();

        Assert.Equal(2, await grain.Count());
        Assert.Equal(("""{"count":2}""", 2L), await StoredAsync("profile", "profile/alice"));

        await grain.Clear();
        await grain.Deactivate();
        Assert.Equal(0, await grain.Count());
        Assert.Equal(1, await grain.Bump());
        Assert.Equal(("""{"count":1}""", 4L), await StoredAsync("profile", "profile/alice"));
    }

    [Fact]
    public async Task A_journaled_state_is_stored_in_sqlite_and_replayed_by_the_next_activation()
    {
        var grain = Grains.GetGrain<ILedgerGrain>("w1");

        await grain.Add(100);
        await grain.Add(-30);
        await grain.Deactivate();

        Assert.Equal(70, await grain.Total());
        Assert.Equal(2, await grain.Entries());
        var (_, version) = await StoredAsync("ledger", "ledger/w1");
        Assert.Equal(2L, version);
    }

    [Fact]
    public async Task Reminders_are_kept_in_the_sqlite_table()
    {
        var grain = Grains.GetGrain<ILedgerGrain>("w2");

        await grain.ScheduleSettlement();

        var table = _host!.Services.GetRequiredService<IReminderTable>();
        Assert.IsType<SqliteReminderTable>(table);
        var row = Assert.Single((await table.ReadRows(grain.GetGrainId())).Reminders);
        Assert.Equal("settle", row.ReminderName);
        Assert.Equal(TimeSpan.FromHours(1), row.Period);
    }

    /// <summary>The stored data and version of a state, read from the file as another process would.</summary>
    private async Task<(string? Data, long Version)> StoredAsync(string stateName, string grainId)
    {
        var path = _host!.Services.GetRequiredService<SqliteDatabase>().DatabasePath;
        Assert.Equal(Path.Combine(_dataPath, "adwallet.db"), path);
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT d.data, s.version FROM grain_state s
            LEFT JOIN grain_state_data d USING (storage_name, state_name, grain_id)
            WHERE s.storage_name = 'Default' AND s.state_name = @state AND s.grain_id = @grain
            """;
        command.Parameters.AddWithValue("@state", stateName);
        command.Parameters.AddWithValue("@grain", grainId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"No row for {stateName} of {grainId}.");
        return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
