using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AdWallet.Benchmarks.Harness;
using AdWallet.GatewaySimulator;
using AdWallet.Grains;
using AdWallet.Grains.Wallets;
using AdWallet.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>
/// Charges over 1,000 wallets through an Orleans client (this process, as the API in cluster mode) against
/// <see cref="_silos"/> silo PROCESSES of the platform (the Release build of Silo, <c>Cluster:Mode=postgres</c>) on a
/// scratch PostgreSQL database, started for the point and killed after it.
/// </summary>
internal sealed class ClusterCharges(int silos) : Scenario
{
    public const int Wallets = 1_000;

    /// <summary>Each silo's pools (its storage's, and Orleans' membership and reminders' each) and the client's.</summary>
    private const int MaxPoolSize = 4;

    /// <summary>The client's response timeout: the platform's 10 s, raised for a saturated machine; below the harness's 60 s for a stuck call.</summary>
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(30);

    private static readonly Caller Master = new("bench-master");
    private static readonly ChargeCommand Command = new(HotWallet.Amount, PaymentMethods.PayMoney, TermsAccepted: true);

    private readonly int _silos = silos;
    private GatewaySimulatorServer? _gateway;
    private readonly List<SiloProcess> _processes = [];
    private BenchPostgres? _database;
    private IHost? _client;
    private long[] _acknowledged = new long[Wallets];
    private long _next;
    private TimeSpan[] _cpuAtStart = [];
    private long _startedAt;

    public override string Name => _silos == 1 ? "cluster-1-silo" : $"cluster-{_silos}-silos";

    public override string Measures =>
        $"{_silos} silo process{(_silos == 1 ? "" : "es")} of the platform (dotnet Silo/bin/Release/net10.0/AdWallet.Silo.dll " +
        "--Cluster:Mode=postgres: PostgreSQL grain state, reminders and membership, TCP between silos), started by the harness on a " +
        "scratch database per point and killed after it, all active (IManagementGrain.GetHosts(true)) before the wallets are created; " +
        "this process is only the Orleans client (UsePlatformGrains, as the API in cluster mode, with a 30 s response timeout), so CPU, CPU/op, alloc and GC are the " +
        $"client's alone, the silos' CPU is in the check line. Each worker charges a wallet picked uniformly from {Wallets:N0} business " +
        "wallets (1,000 won, pay_money, a new idempotency key per call), created before the clock. Check: every wallet's balance = 1,000 x " +
        "the charges answered for it, and 20 sampled ledgers add up.";

    public override IReadOnlyList<int> Concurrency => [256];

    public override string? Notes =>
        "Short runs on a SHARED 2-core machine: the client, the silo processes and PostgreSQL share its 2 cores with other engineers' " +
        "builds and test runs (some with silos of their own on the same PostgreSQL server), so more silos mean more processes on the " +
        "same 2 cores, not more capacity: these figures show that the cluster forms and serves charges correctly across processes, " +
        "not how it scales. Each point has a scratch database (adwallet_bench_<random>), dropped after its silos were killed; " +
        $"pools of {MaxPoolSize} connections per silo and per client keep within the server's 100 connections.";

    public override bool UsesSilo => false;

    public override IReadOnlyList<Baseline> Baselines => _silos == 1 ? [] : [new("cluster-1-silo", 0)];

    public override async Task InitializeAsync(PointSetup point)
    {
        _acknowledged = new long[Wallets];
        _database = await BenchPostgres.CreateAsync();
        // One payment gateway for every silo, as in production: the simulator, in the harness's process, over HTTP.
        _gateway = await GatewaySimulatorServer.StartAsync(new GatewaySimulatorSettings
        {
            DataPath = Directory.CreateTempSubdirectory("adwallet-bench-gateway-").FullName,
            ConfigureLogging = logging => logging.ClearProviders(),
        });
        var silo = SiloAssembly();
        var basePort = FreePorts(_silos);
        for (var i = 0; i < _silos; i++)
            _processes.Add(SiloProcess.Start(silo, _database.ConnectionString(MaxPoolSize), basePort + i, _gateway.BaseAddress));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Benchmark", Args = [] });
        builder.Logging.ClearProviders();
        builder.Configuration["Cluster:Mode"] = "postgres";
        builder.Configuration["ConnectionStrings:Postgres"] = _database.ConnectionString(MaxPoolSize);
        // On a shared 2-core machine with three silos starting, 10 s is not always enough for the first calls.
        builder.Configuration["Messaging:ResponseTimeout"] = ResponseTimeout.ToString();
        builder.UsePlatformGrains();
        _client = builder.Build();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            try
            {
                await _client.StartAsync(timeout.Token);
            }
            catch (Exception exception)
            {
                throw new InvalidOperationException($"The client did not connect: {exception.Message}\n{Logs()}", exception);
            }
        }
        var grains = _client.Services.GetRequiredService<IGrainFactory>();

        // Every silo active in the membership table, then long enough for the client to read the gateway list again.
        var management = grains.GetGrain<IManagementGrain>(0);
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 120;
        while (true)
        {
            var exited = _processes.FirstOrDefault(p => p.HasExited);
            if (exited is not null) throw new InvalidOperationException($"Silo process on port {exited.Port} exited.\n{Logs()}");
            if ((await management.GetHosts(onlyActive: true)).Count == _silos) break;
            if (Stopwatch.GetTimestamp() > until) throw new TimeoutException($"Not all {_silos} silos became active within 120 s.\n{Logs()}");
            await Task.Delay(250);
        }
        await Task.Delay(FailureDetection.GatewayListRefreshPeriod * 2);

        var create = new CreateWallet("Cluster", WalletKinds.Business, BusinessRegistrationNumber: "1234567890");
        await Parallel.ForEachAsync(Enumerable.Range(0, Wallets), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, _) => await grains.GetGrain<IWalletGrain>(WalletId(i)).Create(Master, create));
        _cpuAtStart = [.. _processes.Select(p => p.CpuTime)];
        _startedAt = Stopwatch.GetTimestamp();
    }

    private static string WalletId(int i) => $"wal_cluster_{i}";

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var client = _client!.Services.GetRequiredService<IGrainFactory>();
        return async () =>
        {
            var i = Random.Shared.Next(Wallets);
            var key = "c" + Interlocked.Increment(ref _next);
            var answer = await client.GetGrain<IWalletGrain>(WalletId(i)).Charge(Master, Command, new IdempotencyKey(key, "h"));
            if (answer.Value.Status != ChargeStatus.Succeeded || answer.Replayed)
                throw new InvalidOperationException($"Charge {answer.Value.Id} answered {answer.Value.Status} (replayed: {answer.Replayed}).");
            Interlocked.Increment(ref _acknowledged[i]);
        };
    }

    public override async Task<string?> VerifyAsync(LoadResult result)
    {
        var elapsed = Stopwatch.GetElapsedTime(_startedAt);
        var cpu = _processes.Select((p, i) => p.CpuTime - _cpuAtStart[i]).ToList();
        var grains = _client!.Services.GetRequiredService<IGrainFactory>();
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var activations = statistics.GroupBy(s => s.SiloAddress.Endpoint.Port).ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
        var silosLine = string.Join(" | ", _processes.Select((p, i) =>
            $"port {p.Port}: {activations.GetValueOrDefault(p.Port):N0} activations, {cpu[i] / elapsed:0.00} cores"));
        var siloCpu = cpu.Aggregate(TimeSpan.Zero, (a, b) => a + b);

        var wrong = 0;
        long total = 0, answered = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, Wallets), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var balance = (await grains.GetGrain<IWalletGrain>(WalletId(i)).Get(Master)).Balance.Total;
            Interlocked.Add(ref total, balance);
            Interlocked.Add(ref answered, Interlocked.Read(ref _acknowledged[i]));
            if (balance != HotWallet.Amount * Interlocked.Read(ref _acknowledged[i])) Interlocked.Increment(ref wrong);
        });
        var brokenLedgers = 0;
        for (var i = 0; i < Wallets; i += Wallets / 20)
        {
            var ledger = await WalletLedger.ReadAsync(grains.GetGrain<IWalletGrain>(WalletId(i)), Master);
            if (!ledger.AddsUp || ledger.Entries != _acknowledged[i]) brokenLedgers++;
        }
        var line = $"silos {silosLine} (warm-up and measured seconds; {siloCpu / (elapsed * Environment.ProcessorCount):P0} of the machine); " +
                   $"{answered:N0} charges answered over {Wallets:N0} wallets (warm-up included), balances summing to {total:N0} " +
                   $"(expected {HotWallet.Amount * answered:N0}); {wrong} wallets whose balance differs from its answered charges; " +
                   $"{brokenLedgers} of 20 sampled ledgers that do not add up";
        if (wrong > 0 || brokenLedgers > 0 || total != HotWallet.Amount * answered) throw new CheckFailedException(line);
        return line + ": ok";
    }

    public override async ValueTask DisposePointAsync()
    {
        if (_client is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _client.StopAsync(timeout.Token);
            }
            catch (Exception exception)
            {
                Console.Error.WriteLine($"{Name}: stopping the client: {exception.Message}");
            }
            _client.Dispose();
            _client = null;
        }
        foreach (var process in _processes) process.Dispose();
        _processes.Clear();
        if (_gateway is not null) await _gateway.DisposeAsync();
        _gateway = null;
        if (_database is not null) await _database.DisposeAsync();
        _database = null;
    }

    private string Logs() => string.Join("\n", _processes.Select(p => $"--- silo port {p.Port}:\n{p.Tail()}"));

    /// <summary>The Release build of the Silo project, which <c>dotnet build -c Release Benchmarks</c> makes.</summary>
    private static string SiloAssembly()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (!File.Exists(Path.Combine(folder.FullName, "Benchmarks.csproj"))) continue;
            var path = Path.Combine(folder.Parent!.FullName, "Silo", "bin", "Release", "net10.0", "AdWallet.Silo.dll");
            if (File.Exists(path)) return path;
            throw new FileNotFoundException($"No Release build of the silo at {path}: run dotnet build -c Release Benchmarks.", path);
        }
        throw new DirectoryNotFoundException("Benchmarks.csproj not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A run of <paramref name="count"/> silo ports below 25,000 whose gateway ports (+20,000) are free too.</summary>
    private static int FreePorts(int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(12_000, 24_900);
            if (Enumerable.Range(port, count).All(p => IsFree(p) && IsFree(p + SiloEndpoints.GatewayPortOffset))) return port;
        }
        throw new InvalidOperationException("No free ports for the silos.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>One silo process, its output kept (the last lines) for a failure's message.</summary>
    private sealed class SiloProcess : IDisposable
    {
        private readonly Process _process;
        private readonly Queue<string> _tail = new();

        private SiloProcess(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public bool HasExited => _process.HasExited;

        public TimeSpan CpuTime
        {
            get
            {
                try
                {
                    _process.Refresh();
                    return _process.TotalProcessorTime;
                }
                catch (InvalidOperationException)
                {
                    return TimeSpan.Zero;
                }
            }
        }

        public static SiloProcess Start(string assembly, string connectionString, int port, Uri gateway)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(assembly);
            start.ArgumentList.Add("--Cluster:Mode=postgres");
            start.ArgumentList.Add($"--ConnectionStrings:Postgres={connectionString}");
            start.ArgumentList.Add($"--Silo:Port={port}");
            start.ArgumentList.Add($"--Payments:GatewayUrl={gateway}");
            start.Environment["DOTNET_ENVIRONMENT"] = "Benchmark";
            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
            var silo = new SiloProcess(process, port);
            process.OutputDataReceived += (_, line) => silo.Keep(line.Data);
            process.ErrorDataReceived += (_, line) => silo.Keep(line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return silo;
        }

        private void Keep(string? line)
        {
            if (line is null) return;
            lock (_tail)
            {
                _tail.Enqueue(line);
                while (_tail.Count > 40) _tail.Dequeue();
            }
        }

        public string Tail()
        {
            lock (_tail) return string.Join("\n", _tail);
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
            }
            _process.Dispose();
        }
    }
}
