using AdWallet.Persistence;
using AdWallet.Silo;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AdWallet.Benchmarks.Harness;

/// <summary>
/// The platform's silo in this process, hosted as the embedded mode hosts it (<c>Host.CreateApplicationBuilder</c> +
/// <c>UsePlatformSilo</c>: Orleans with localhost clustering on free ports, SQLite storage and reminders,
/// synchronous=FULL) on the point's temporary data folder, with the system clock and logging off. For a scenario that
/// runs without a silo (a baseline), only the point's data folder.
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost? _host;
    private readonly bool _ownsFolder;

    private BenchSilo(IHost? host, string dataFolder, bool ownsFolder)
    {
        _host = host;
        DataFolder = dataFolder;
        _ownsFolder = ownsFolder;
    }

    /// <summary>The point's temporary folder, deleted with the silo (unless it was given to <see cref="StartAsync(string, Action{ISiloBuilder}?)"/>).</summary>
    public string DataFolder { get; }

    public IGrainFactory Grains => _host?.Services.GetRequiredService<IGrainFactory>() ?? NoSilo.Instance;

    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("This point runs without a silo.");

    /// <summary>The point's silo, with <paramref name="configuration"/> (from <see cref="Scenario.BeforeSiloAsync"/>) added to its own.</summary>
    public static Task<BenchSilo> StartAsync(Scenario scenario, IReadOnlyDictionary<string, string?>? configuration = null) => scenario.UsesSilo
        ? StartAsync(NewDataFolder(), silo => scenario.ConfigureSilo(silo, silo.Configuration["Data:Path"]!), ownsFolder: true, configuration)
        : Task.FromResult(new BenchSilo(null, NewDataFolder(), ownsFolder: true));

    /// <summary>A silo on <paramref name="dataFolder"/>, which stays when the silo is disposed (to restart on the same data).</summary>
    public static Task<BenchSilo> StartAsync(string dataFolder, Action<ISiloBuilder>? configure = null) =>
        StartAsync(dataFolder, configure, ownsFolder: false);

    public static string NewDataFolder() => Directory.CreateTempSubdirectory("adwallet-bench-").FullName;

    private static async Task<BenchSilo> StartAsync(
        string dataFolder, Action<ISiloBuilder>? configure, bool ownsFolder, IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Benchmark",
            ContentRootPath = dataFolder,
            Args = [HostArguments.NoConfigurationReload],
        });
        builder.Logging.ClearProviders();
        builder.Configuration["Data:Path"] = dataFolder;
        builder.Configuration["Data:Synchronous"] = "Full";
        foreach (var (key, value) in configuration ?? new Dictionary<string, string?>()) builder.Configuration[key] = value;
        builder.UsePlatformSilo();
        if (configure is not null) builder.UseOrleans(configure);
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host, dataFolder, ownsFolder);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_host is not null) await _host.StopAsync();
        }
        finally
        {
            _host?.Dispose();
            if (_ownsFolder) Directory.Delete(DataFolder, recursive: true);
        }
    }

    /// <summary>The grains of a point without a silo: there are none.</summary>
    private sealed class NoSilo : IGrainFactory
    {
        public static readonly NoSilo Instance = new();

        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidKey => throw NoGrains();
        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerKey => throw NoGrains();
        public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithStringKey => throw NoGrains();
        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidCompoundKey => throw NoGrains();
        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerCompoundKey => throw NoGrains();
        public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw NoGrains();
        public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw NoGrains();
        public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw NoGrains();
        public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw NoGrains();
        public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw NoGrains();
        public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw NoGrains();
        public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw NoGrains();
        public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IAddressable => throw NoGrains();
        public IAddressable GetGrain(GrainId grainId) => throw NoGrains();
        public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw NoGrains();
        public IAddressable GetGrain(Type interfaceType, IdSpan grainKey) => throw NoGrains();
        public IAddressable GetGrain(Type interfaceType, IdSpan grainKey, string grainClassNamePrefix) => throw NoGrains();

        private static InvalidOperationException NoGrains() =>
            new("This scenario runs without a silo (Scenario.UsesSilo is false): it has no grains.");
    }
}
