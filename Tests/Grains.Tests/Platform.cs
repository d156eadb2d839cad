using AdWallet.Grains.Channels;
using AdWallet.Grains.Payments;
using AdWallet.Grains.Users;
using AdWallet.Grains.Wallets;
using AdWallet.Silo;
using Granary;
using Granary.Hosting;
using Granary.Reminders;
using Granary.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace AdWallet.Grains.Tests;

/// <summary>The platform's grains in a test cluster on a manual clock, on SQLite, with a simulated gateway that outlives silo restarts.</summary>
internal sealed class Platform : IAsyncDisposable
{
    public const string Master = "master";
    public const string Member = "member";
    public const string Outsider = "outsider";

    private readonly string _dataPath = Directory.CreateTempSubdirectory("adwallet-grains-").FullName;
    private TestCluster _cluster = null!;

    public SimulatedPaymentGateway Gateway { get; } = new();

    public TestCluster Cluster => _cluster;

    public ManualTimeProvider Clock => _cluster.Clock;

    public IGrainFactory Grains => _cluster.GrainFactory;

    public static async Task<Platform> StartAsync(Action<TestClusterBuilder>? configure = null)
    {
        var platform = new Platform();
        platform._cluster = await TestCluster.StartAsync(builder =>
        {
            builder.UseSharedMemoryProviders = false;
            builder.Configure("Data:Path", platform._dataPath);
            builder.ConfigureServices(services => services.AddSingleton<IPaymentGateway>(platform.Gateway));
            builder.ConfigureSilo(silo =>
            {
                silo.Services.AddPlatformServices(silo.Configuration);
                silo.AddPlatformGrains().AddSqliteGrainStorage().UseSqliteReminderService();
            });
            configure?.Invoke(builder);
        });
        return platform;
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

    /// <summary>Moves the clock by <paramref name="interval"/> and waits until the wallet has handled the reminder's tick.</summary>
    public async Task TickAsync(IWalletGrain wallet, string reminderName, TimeSpan interval)
    {
        var grainId = wallet.GetGrainId();
        var handled = _cluster.ReminderTicks.Count(grainId, reminderName);
        Clock.Advance(interval);
        await _cluster.ReminderTicks.WaitAsync(grainId, reminderName, handled + 1);
    }

    /// <summary>The grain's reminder of that name as stored in the reminder table, or null when it has none.</summary>
    public Task<ReminderEntry?> ReminderAsync(IAddressable grain, string reminderName) =>
        _cluster.Primary.Services.GetRequiredService<IReminderTable>().ReadRowAsync(grain.GetGrainId(), reminderName);

    public Task RestartAsync(bool graceful = true) => _cluster.RestartSiloAsync(_cluster.Primary, graceful);

    public async ValueTask DisposeAsync()
    {
        Gateway.HangRelease.TrySetResult();
        await _cluster.DisposeAsync();
        Directory.Delete(_dataPath, recursive: true);
    }
}

internal static class Requests
{
    private static int s_next;

    public static IdempotencyKey Key(string? key = null, string hash = "hash") => new(key ?? $"key-{Interlocked.Increment(ref s_next)}", hash);

    public static ChargeCommand CardCharge(long amount, string number = SimulatedPaymentGateway.SucceedingCard) =>
        new(amount, PaymentMethods.Card, TermsAccepted: true, CardNumber: number);

    public static Caller As(string userId) => new(userId);
}
