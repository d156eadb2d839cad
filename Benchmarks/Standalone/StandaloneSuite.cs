using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using AdWallet.Benchmarks.Harness;

namespace AdWallet.Benchmarks.Standalone;

/// <summary>
/// A suite that is not a set of load points: it measures its own way (a timed first call, a memory delta, wrk against
/// a process) and returns Markdown, which goes under the usual header (command, date, commit, machine) to
/// <c>results/&lt;name&gt;-latest.md</c>. Options are <c>--name value</c> pairs, each suite reading its own.
/// </summary>
internal abstract class StandaloneSuite
{
    public abstract string Name { get; }

    protected abstract Task<string> RunAsync(IReadOnlyDictionary<string, string> options);

    public static async Task<int> RunAsync(StandaloneSuite suite, string[] args, string command, string resultsFolder)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"{suite.Name}: options are --name value pairs; '{args[i]}' is not one.");
                return 2;
            }
            options[args[i][2..]] = args[++i];
        }
#if DEBUG
        Console.Error.WriteLine("warning: this is a Debug build; run with -c Release for figures worth comparing.");
#endif
        string body;
        var failed = false;
        try
        {
            body = await suite.RunAsync(options);
        }
        catch (Exception exception)
        {
            failed = true;
            body = $"FAILED: {exception}\n";
            Console.Error.WriteLine($"{suite.Name} failed: {exception}");
        }
        var text = new StringBuilder();
        text.AppendLine($"# AdWallet benchmarks (Orleans): {suite.Name} suite").AppendLine();
        text.AppendLine($"- Command: `{command}`");
        text.AppendLine($"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine($"- Commit: {ResultTable.GitCommit() ?? "unknown"}");
        text.AppendLine($"- Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}), " +
                        "any other work on it shows up in the figures: compare runs made back to back");
        text.AppendLine($"- Runtime: {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, " +
                        $"{ResultTable.BuildConfiguration} build");
        text.AppendLine();
        text.Append(body);
        Console.WriteLine(body);
        var path = Path.Combine(resultsFolder, $"{suite.Name}-latest.md");
        Directory.CreateDirectory(resultsFolder);
        await File.WriteAllTextAsync(path, text.ToString());
        Console.Error.WriteLine($"Wrote {path}");
        return failed ? 1 : 0;
    }

    protected static int[] Ints(IReadOnlyDictionary<string, string> options, string name, params int[] defaults) =>
        options.TryGetValue(name, out var text) ? [.. text.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture))] : defaults;

    protected static double Number(IReadOnlyDictionary<string, string> options, string name, double fallback) =>
        options.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    protected static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

    /// <summary>The managed heap after a full, compacting, blocking collection.</summary>
    public static long SettledHeap()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>A field of /proc/self/status in bytes (RssAnon, RssFile, VmRSS), or null off Linux.</summary>
    public static long? ProcStatus(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
                var parts = line[(field.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    public static string Bytes(double bytes) => Math.Abs(bytes) switch
    {
        < 10 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} B"),
        < 10 * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024:N1} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024 / 1024:N1} MB"),
    };

    public static string Ms(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:0.##} ms");
}
