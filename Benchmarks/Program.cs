using System.Globalization;
using AdWallet.Benchmarks.Harness;
using AdWallet.Benchmarks.Scenarios;
using AdWallet.Benchmarks.Standalone;

namespace AdWallet.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project Benchmarks -- [scenario or suite...] [--duration 5] [--warmup 2] [--workers 1,16] [--out path]</c>.
/// With no scenario, runs the runtime suite; <c>activation</c>, <c>memory</c> and <c>http</c> are standalone suites. Progress goes to stderr, the table to stdout and to results/&lt;suite&gt;-latest.md.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, Scenario[]> Suites = new()
    {
        ["calls"] = [new LocalCalls()],
        ["runtime"] = [new LocalCalls(), new LocalCallsHot(), new SqliteWrites()],
        ["wallet"] = WalletSuite(),
        ["many-wallets"] = [new ManyWallets(), new ManyWalletsNaive()],
        ["wallet-pg"] = [new HotWalletPg(), new HotWalletPgNaive()],
        ["many-wallets-pg"] = [new ManyWalletsPg(), new ManyWalletsPgNaive()],
        ["cluster"] = [new ClusterCharges(1), new ClusterCharges(2), new ClusterCharges(3)],
    };

    /// <summary>Suites that are not load points: each measures its own way and writes its own results file.</summary>
    private static readonly Dictionary<string, Func<StandaloneSuite>> Standalone = new()
    {
        ["activation"] = () => new ActivationSuite(),
        ["memory"] = () => new MemorySuite(),
        ["http"] = () => new HttpSuite(),
        ["customer-files"] = () => new CustomerFileSuite(),
    };

    /// <summary>The platform's hot paths on SQLite, each against a naive baseline, and the gateway's own ceiling. The exhaustion variant sizes its budget from hot-campaign's rate.</summary>
    private static Scenario[] WalletSuite()
    {
        var hotCampaign = new HotCampaign();
        return [new HotWallet(), new HotWalletNaive(), new HotWalletNaive(capturesFirst: true), new GatewayCaptures(), hotCampaign, new HotCampaignNaive(), new HotCampaignExhausted(hotCampaign)];
    }

    private static async Task<int> Main(string[] args)
    {
        var command = "dotnet run -c Release --project Benchmarks --" + string.Concat(args.Select(a => " " + a));
        if (args.Length > 0 && Standalone.TryGetValue(args[0], out var standalone))
            return await StandaloneSuite.RunAsync(standalone(), args[1..], command, ResultsFolder());

        Options options;
        try
        {
            options = Options.Parse(args, Suites);
        }
        catch (ArgumentException exception)
        {
            Console.Error.WriteLine(exception.Message);
            Console.Error.WriteLine(Usage());
            return 2;
        }
        if (options.List)
        {
            Console.WriteLine(Usage());
            return 0;
        }
#if DEBUG
        Console.Error.WriteLine("warning: this is a Debug build; run with -c Release for figures worth comparing.");
#endif

        var table = new ResultTable(options.Suite, options.Warmup, options.Duration, command);
        var failures = 0;
        foreach (var scenario in options.Scenarios)
        {
            foreach (var workers in options.Workers ?? scenario.Concurrency)
            {
                Console.Error.WriteLine(
                    $"{scenario.Name} x{workers}: {options.Warmup.TotalSeconds:0.#} s warm-up, {options.Duration.TotalSeconds:0.#} s measured...");
                try
                {
                    var (result, check) = await RunPointAsync(scenario, workers, options);
                    table.Add(scenario, result, check);
                    Console.Error.WriteLine(ResultTable.FormatRow(scenario, result));
                    if (check is not null) Console.Error.WriteLine($"{scenario.Name} x{workers} check: {check}");
                }
                catch (CheckFailedException exception)
                {
                    failures++;
                    table.AddFailure(scenario, workers, $"check failed: {exception.Message}");
                    Console.Error.WriteLine($"{scenario.Name} x{workers} failed its check: {exception.Message}");
                }
                catch (Exception exception)
                {
                    failures++;
                    table.AddFailure(scenario, workers, $"{exception.GetType().Name}: {exception.Message}");
                    Console.Error.WriteLine($"{scenario.Name} x{workers} failed: {exception}");
                }
            }
        }

        Console.WriteLine();
        Console.Write(table.Table());
        var document = table.Document();
        var latest = Path.Combine(ResultsFolder(), $"{options.Suite}-latest.md");
        foreach (var path in options.Out is null ? [latest] : new[] { latest, options.Out })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, document);
            Console.Error.WriteLine($"Wrote {Path.GetFullPath(path)}");
        }
        return failures == 0 ? 0 : 1;
    }

    private static async Task<(LoadResult Result, string? Check)> RunPointAsync(Scenario scenario, int workers, Options options)
    {
        // Start each point without the garbage of the previous one.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Disposed after the silo has stopped: a scratch database outlives the silo that uses it.
        var siloConfiguration = new Dictionary<string, string?>();
        await using var beforeSilo = await scenario.BeforeSiloAsync(siloConfiguration);
        await using var silo = await BenchSilo.StartAsync(scenario, siloConfiguration);
        try
        {
            var grains = silo.Grains;
            await scenario.InitializeAsync(new PointSetup(grains, silo.DataFolder, workers, options.Warmup, options.Duration));
            var result = await LoadRunner.RunAsync(workers, worker => scenario.CreateOperation(grains, worker), options.Warmup, options.Duration);
            return (result, await scenario.VerifyAsync(result));
        }
        finally
        {
            await scenario.DisposePointAsync();
        }
    }

    /// <summary>Benchmarks/results, found from the build output, so the run may start from any folder.</summary>
    private static string ResultsFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Benchmarks.csproj")))
                return Path.Combine(folder.FullName, "results");
        }
        return Path.Combine(Directory.GetCurrentDirectory(), "results");
    }

    private static string Usage() =>
        "usage: dotnet run -c Release --project Benchmarks -- [scenario or suite...] [--duration seconds] [--warmup seconds] " +
        "[--workers n,n,...] [--out path] [--list]\n" +
        string.Join("\n", Suites.Select(s => $"suite {s.Key}: {string.Join(", ", s.Value.Select(x => x.Name))}")) +
        "\nstandalone suites (first argument, their own options): " + string.Join(", ", Standalone.Keys);

    private sealed record Options(
        string Suite,
        IReadOnlyList<Scenario> Scenarios,
        TimeSpan Duration,
        TimeSpan Warmup,
        IReadOnlyList<int>? Workers,
        string? Out,
        bool List)
    {
        public static Options Parse(string[] args, Dictionary<string, Scenario[]> suites)
        {
            var duration = TimeSpan.FromSeconds(5);
            var warmup = TimeSpan.FromSeconds(2);
            IReadOnlyList<int>? workers = null;
            string? output = null;
            var list = false;
            var names = new List<string>();
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--duration": duration = Seconds(Value(args, ref i)); break;
                    case "--warmup": warmup = Seconds(Value(args, ref i)); break;
                    case "--workers": workers = [.. Value(args, ref i).Split(',').Select(Count)]; break;
                    case "--out": output = Value(args, ref i); break;
                    case "--list" or "--help" or "-h": list = true; break;
                    case var option when option.StartsWith('-'): throw new ArgumentException($"Unknown option {option}.");
                    default: names.Add(args[i]); break;
                }
            }

            var selected = new List<(string Suite, Scenario Scenario)>();
            if (names.Count == 0) names.Add("runtime");
            foreach (var name in names)
            {
                var matches = suites.TryGetValue(name, out var suite)
                    ? suite.Select(s => (name, s))
                    : suites.SelectMany(s => s.Value.Where(x => x.Name == name).Select(x => (s.Key, x))).ToList();
                if (!matches.Any()) throw new ArgumentException($"No scenario or suite is named '{name}'.");
                // A scenario in two suites (local-calls) runs once, under the first suite that has it.
                selected.AddRange(matches.DistinctBy(m => m.Item2.Name).Where(m => selected.All(s => s.Scenario.Name != m.Item2.Name)));
            }
            var suiteName = selected.Select(s => s.Suite).Distinct().Count() == 1 ? selected[0].Suite : "custom";
            return new Options(suiteName, [.. selected.Select(s => s.Scenario)], duration, warmup, workers, output, list);
        }

        private static string Value(string[] args, ref int i) =>
            ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

        private static TimeSpan Seconds(string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : throw new ArgumentException($"'{text}' is not a positive number of seconds.");

        private static int Count(string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
                ? count
                : throw new ArgumentException($"'{text}' is not a positive number of workers.");
    }
}
