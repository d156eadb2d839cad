using System.Collections.Concurrent;
using AdWallet.Grains.Channels;
using AdWallet.Grains.Payments;
using AdWallet.TestSupport;
using AdWallet.Grains.Users;
using AdWallet.Grains.Wallets;
using AdWallet.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Reminders;
using Orleans.TestingHost;

namespace AdWallet.Grains.Tests;

/// <summary>What a test adds to the platform's silos: configuration keys and services.</summary>
internal sealed class PlatformBuilder
{
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<Action<IServiceCollection>> Services { get; } = [];

    /// <summary>How long the test's client waits for a grain's answer (real time), when not Orleans' default.</summary>
    public TimeSpan? ClientResponseTimeout { get; set; }

    public PlatformBuilder Configure(string key, string value)
    {
        Settings[key] = value;
        return this;
    }

    public PlatformBuilder ConfigureServices(Action<IServiceCollection> configure)
    {
        Services.Add(configure);
        return this;
    }
}

/// <summary>
/// The platform's grains in an Orleans in-process test cluster of one silo on a fake clock, on a fresh SQLite file,
/// with the gateway simulator (over HTTP, on its own file) that outlives silo restarts.
/// </summary>
internal sealed class Platform : IAsyncDisposable
{
    public const string Master = "master";
    public const string Member = "member";
    public const string Outsider = "outsider";

    private readonly string _dataPath = Directory.CreateTempSubdirectory("adwallet-grains-").FullName;
    private InProcessTestCluster _cluster = null!;

    /// <summary>The gateway simulator, reached over HTTP; it outlives silo restarts, as a real gateway does.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <summary>The clock of the grains, their timers, their reminders and their storage; it moves only when a test moves it.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Counts the reminder ticks the grains have handled, across silo restarts.</summary>
    public ReminderTickCounter ReminderTicks { get; } = new();

    public InProcessTestCluster Cluster => _cluster;

    public InProcessSiloHandle Primary => _cluster.Silos[0];

    public IGrainFactory Grains => _cluster.Client;

    public static async Task<Platform> StartAsync(Action<PlatformBuilder>? configure = null)
    {
        var platform = new Platform();
        platform.Gateway = await TestGateway.StartAsync(platform._dataPath, platform.Clock);
        var options = new PlatformBuilder();
        options.Configure("Data:Path", platform._dataPath);
        foreach (var (key, value) in platform.Gateway.PlatformSettings) options.Settings[key] = value;
        // One attempt per call: a fault of the gateway then reaches the wallet as it is, and a test can see each outcome.
        options.Configure("Payments:MaxRetries", "0");
        // A capture told to hold its answer holds until the test releases it, as long as a test needs.
        options.Configure("Payments:AttemptTimeout", "00:01:00");
        options.Configure("Payments:TotalTimeout", "00:01:00");
        configure?.Invoke(options);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(options.Settings));
        builder.ConfigureSilo((_, silo) =>
        {
            var services = silo.Services;
            platform.UseFakeClock(services);
            services.AddSingleton<IIncomingGrainCallFilter>(platform.ReminderTicks);
            services.AddPlatformServices(silo.Configuration);
            services.AddOptions<ReminderOptions>()
                .Configure(reminders =>
                {
                    // A reminder due beyond the loading window is not loaded by a silo that starts after it was
                    // registered until a refresh: in tests every reminder is in the window.
                    reminders.ReminderLoadingWindow = TimeSpan.FromDays(3);
                })
                .Bind(silo.Configuration.GetSection("Reminders"));
            silo.AddSqliteStorage().AddSqliteBulkStorage().UseSqliteReminderService();
            foreach (var configureServices in options.Services) configureServices(services);
        });
        // Request timeouts run on real time (a fake messaging clock stalls the client): a test that needs a caller to
        // give up shortens the client's response timeout instead.
        if (options.ClientResponseTimeout is { } timeout)
            builder.ConfigureClient(client => client.Services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = timeout));
        platform._cluster = builder.Build();
        try
        {
            await platform._cluster.DeployAsync();
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
        return platform;
    }

    /// <summary>
    /// One fake clock for the grains (<see cref="TimeProviderNames.Grains"/>), reminders
    /// (<see cref="ReminderTimeProviderNames.Reminders"/>) and the platform's services (the unkeyed provider); the
    /// silo's own background areas (membership, messaging, directory) stay on real time.
    /// </summary>
    private void UseFakeClock(IServiceCollection services)
    {
        services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        services.AddSingleton<TimeProvider>(Clock);
        services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, Clock);
        services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, Clock);
    }

    public IWalletGrain Wallet(string id) => Grains.GetGrain<IWalletGrain>(id);

    public IUserGrain User(string id) => Grains.GetGrain<IUserGrain>(id);

    public IChannelGrain Channel(string id) => Grains.GetGrain<IChannelGrain>(id);

    /// <summary>A business wallet of <see cref="Master"/>, with <see cref="Member"/> as a member.</summary>
    public async Task<IWalletGrain> NewWalletAsync(string kind = WalletKinds.Business)
    {
        var id = $"wal_{Guid.NewGuid():N}";
        var wallet = Wallet(id);
        if (kind == WalletKinds.Personal) await User(Master).VerifyIdentity(new IdentityVerification("Kim", new DateOnly(1990, 1, 1), "+821012345678"));
        await wallet.Create(new Caller(Master), new CreateWallet("Ads", kind, kind == WalletKinds.Business ? "1234567890" : null));
        await wallet.AddMember(new Caller(Master), Member);
        return wallet;
    }

    /// <summary>
    /// Moves the clock by <paramref name="interval"/> and waits until the grain has handled a tick of the reminder. A
    /// silo that has just started loads its reminders in the background: a reminder it loads after the clock moved is
    /// due a period later, so if no tick comes within a few seconds the clock moves by another interval.
    /// </summary>
    public async Task TickAsync(IAddressable grain, string reminderName, TimeSpan interval)
    {
        var grainId = grain.GetGrainId();
        var handled = ReminderTicks.Count(grainId, reminderName);
        for (var attempt = 1; ; attempt++)
        {
            Clock.Advance(interval);
            try
            {
                await Eventually.WaitUntilAsync(() => ReminderTicks.Count(grainId, reminderName) > handled, $"a tick of {reminderName} on {grainId}",
                    attempt < 4 ? TimeSpan.FromSeconds(5) : null);
                return;
            }
            catch (TimeoutException) when (attempt < 4)
            {
            }
        }
    }

    /// <summary>The grain's reminder of that name as stored in the reminder table, or null when it has none.</summary>
    public Task<ReminderEntry?> ReminderAsync(IAddressable grain, string reminderName) =>
        Primary.ServiceProvider.GetRequiredService<IReminderTable>().ReadRow(grain.GetGrainId(), reminderName)!;

    /// <summary>The names of the reminders the grain has registered, in order.</summary>
    public async Task<string[]> RemindersAsync(IAddressable grain)
    {
        var table = Primary.ServiceProvider.GetRequiredService<IReminderTable>();
        return [.. (await table.ReadRows(grain.GetGrainId())).Reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal)];
    }

    /// <summary>Stops the silo (gracefully or by killing it, as a crash would) and starts a new one on the same database.</summary>
    public async Task RestartAsync(bool graceful = true)
    {
        await StopAsync(graceful);
        await StartSiloAsync();
    }

    public Task StopAsync(bool graceful = true) => graceful ? _cluster.StopSiloAsync(Primary) : _cluster.KillSiloAsync(Primary);

    public async Task StartSiloAsync()
    {
        await _cluster.StartAdditionalSiloAsync();
        await _cluster.WaitForLivenessToStabilizeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Gateway?.ReleaseHolds();
        if (_cluster is not null) await _cluster.DisposeAsync();
        if (Gateway is not null) await Gateway.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataPath, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A test-only grain call filter that counts the reminder ticks each grain has handled.</summary>
internal sealed class ReminderTickCounter : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(GrainId, string), int> _handled = new();

    public int Count(GrainId grainId, string reminderName) => _handled.GetValueOrDefault((grainId, reminderName));

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.Name != nameof(IRemindable.ReceiveReminder) || context.Request.GetArgumentCount() < 1
            || context.Request.GetArgument(0) is not string reminderName)
        {
            await context.Invoke();
            return;
        }

        try
        {
            await context.Invoke();
        }
        finally
        {
            _handled.AddOrUpdate((context.TargetId, reminderName), 1, (_, n) => n + 1);
        }
    }
}

internal static class Requests
{
    private static int s_next;

    public static IdempotencyKey Key(string? key = null, string hash = "hash") => new(key ?? $"key-{Interlocked.Increment(ref s_next)}", hash);

    public static ChargeCommand CardCharge(long amount, string number = TestCards.Succeeding) =>
        new(amount, PaymentMethods.Card, TermsAccepted: true, CardNumber: number);

    public static Caller As(string userId) => new(userId);
}

/// <summary>A counter a test can await: <see cref="WhenAtLeast"/> completes once the count reaches a value.</summary>
internal sealed class SignalCounter
{
    private readonly object _gate = new();
    private readonly List<(int Target, TaskCompletionSource Signal)> _waiters = [];
    private int _count;

    public int Value
    {
        get { lock (_gate) return _count; }
    }

    public void Increment()
    {
        List<TaskCompletionSource> reached = [];
        lock (_gate)
        {
            _count++;
            _waiters.RemoveAll(w =>
            {
                if (w.Target > _count) return false;
                reached.Add(w.Signal);
                return true;
            });
        }
        foreach (var signal in reached) signal.TrySetResult();
    }

    public Task WhenAtLeast(int target)
    {
        lock (_gate)
        {
            if (_count >= target) return Task.CompletedTask;
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, signal));
            return signal.Task;
        }
    }
}
