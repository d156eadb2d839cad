using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace AdWallet.Persistence.PostgreSql.Tests;

/// <summary>
/// Two silos and a client of Orleans' TestCluster, on TCP, with nothing of the test cluster's own: membership and the
/// client's gateway list through Orleans' ADO.NET clustering, reminders through its ADO.NET reminder service, and
/// <c>[PersistentState]</c> through <see cref="PostgreSqlGrainStorage"/>, all on the scratch schema.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(_database.Configuration()));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
        finally
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Silos_form_a_cluster_the_client_reaches_and_reminders_fire()
    {
        // Both silos are active in the membership table, under the cluster's id.
        var active = await _database.ScalarAsync<long>(
            $"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{_cluster.Options.ClusterId}' AND Status = 3");
        Assert.Equal(2L, active);
        var hosts = await _cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(2, hosts.Count);

        // The client found its gateways through the ADO.NET gateway list, and calls reach grains.
        var grain = _cluster.Client.GetGrain<IReminderProbeGrain>(Guid.NewGuid().ToString("N"));
        await grain.StartAsync(TimeSpan.FromSeconds(1));
        var reminderRows = await _database.ScalarAsync<long>(
            $"SELECT count(*) FROM OrleansRemindersTable WHERE ServiceId = '{_cluster.Options.ServiceId}'");
        Assert.Equal(1L, reminderRows);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await grain.TicksAsync() < 2 && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.True(await grain.TicksAsync() >= 2, "The reminder did not fire twice within 30 s.");
        await grain.StopAsync();
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM OrleansRemindersTable"));

        // [PersistentState] goes through the PostgreSQL grain storage registered as "Default".
        await grain.SaveNoteAsync("kept");
        Assert.Equal("kept", await grain.ReadStoredNoteAsync());
        Assert.Equal("{\"text\":\"kept\"}", await _database.ScalarAsync<string>("SELECT data FROM grain_state WHERE state_name = 'note'"));

        // [JournaledState] goes through the same provider as the keyed IJournalStorage "Default".
        Assert.Equal(new long[] { 5, 1 }, await grain.AddToLedgerAsync(5));
        Assert.Equal(new long[] { 12, 2 }, await grain.AddToLedgerAsync(7));
        Assert.Equal(2L, await _database.ScalarAsync<long>("SELECT count(*) FROM grain_journal WHERE state_name = 'ledger'"));
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UsePostgreSqlClustering().UsePostgreSqlReminderService().AddPostgreSqlStorage();
            // Orleans refuses periods under a minute by default.
            siloBuilder.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        }
    }

    public sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.UsePostgreSqlClustering();
    }
}

/// <summary>Starting fails before Orleans runs when the cluster database is not configured.</summary>
public sealed class MissingConfigurationTests
{
    [Fact]
    public async Task A_silo_without_the_connection_string_fails_to_start_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Development" });
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort: 41311, gatewayPort: 42311).AddPostgreSqlStorage());
        using var host = builder.Build();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        Assert.Contains("ConnectionStrings:Postgres", failure.Message);
    }
}

public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task StartAsync(TimeSpan period);

    Task<int> TicksAsync();

    Task StopAsync();

    Task SaveNoteAsync(string text);

    Task<string?> ReadStoredNoteAsync();

    /// <summary>Appends an entry to the journaled ledger and answers its total and how many entries are stored.</summary>
    Task<long[]> AddToLedgerAsync(long amount);
}

public sealed record LedgerEntry(long Amount);

public sealed class Ledger : IJournalProjection<LedgerEntry>
{
    public long Total { get; set; }

    public void Apply(LedgerEntry entry) => Total += entry.Amount;
}

public sealed class Note
{
    public string? Text { get; set; }
}

public sealed class ReminderProbeGrain(
    [PersistentState("note")] IPersistentState<Note> note,
    [JournaledState("ledger")] IJournaledState<Ledger, LedgerEntry> ledger) : Grain, IReminderProbeGrain, IRemindable
{
    private const string ReminderName = "probe";

    // Counted per grain in the process, so that a tick reaching a new activation still counts.
    private static readonly ConcurrentDictionary<string, int> Ticks = new();

    public async Task StartAsync(TimeSpan period) => await this.RegisterOrUpdateReminder(ReminderName, period, period);

    public Task<int> TicksAsync() => Task.FromResult(Ticks.GetValueOrDefault(this.GetPrimaryKeyString()));

    public async Task StopAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    public async Task SaveNoteAsync(string text)
    {
        note.State.Text = text;
        await note.WriteStateAsync();
    }

    public async Task<string?> ReadStoredNoteAsync()
    {
        await note.ReadStateAsync();
        return note.State.Text;
    }

    public async Task<long[]> AddToLedgerAsync(long amount)
    {
        ledger.Append(new LedgerEntry(amount));
        await ledger.WriteStateAsync();
        var entries = await ledger.ReadEntriesAsync(null, 100);
        return [ledger.State.Total, entries.Count];
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.AddOrUpdate(this.GetPrimaryKeyString(), 1, (_, count) => count + 1);
        return Task.CompletedTask;
    }
}
