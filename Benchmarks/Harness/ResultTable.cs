using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace AdWallet.Benchmarks.Harness;

/// <summary>The results of a run as a Markdown table, with the machine and settings they were measured on.</summary>
internal sealed class ResultTable(string suite, TimeSpan warmup, TimeSpan duration, string command)
{
    private static readonly string[] Columns =
    [
        "Scenario", "Workers", "ops/s", "p50", "p90", "p99", "p99.9", "max",
        "alloc B/op", "CPU/op", "GC 0/1/2", "GC pause", "CPU", "machine CPU", "Target",
    ];

    private static readonly string[] BaselineColumns =
        ["Scenario", "Workers", "ops/s", "Baseline", "baseline ops/s (same workers)", "Ratio", "baseline best ops/s (its workers)", "Ratio to best", "Target (to best)"];

    private readonly List<(Scenario Scenario, LoadResult Result)> _rows = [];
    private readonly List<string> _checks = [];
    private readonly List<string> _failures = [];

    /// <param name="check">What the scenario checked after the point, if anything.</param>
    public void Add(Scenario scenario, LoadResult result, string? check = null)
    {
        _rows.Add((scenario, result));
        if (check is not null) _checks.Add($"{scenario.Name} x{result.Workers}: {check}");
    }

    /// <summary>A point that failed: it has no row, only this line.</summary>
    public void AddFailure(Scenario scenario, int workers, string reason) => _failures.Add($"{scenario.Name} x{workers}: {reason}");

    /// <summary>One row, for progress output while the run goes on.</summary>
    public static string FormatRow(Scenario scenario, LoadResult result)
    {
        var target = scenario.TargetFor(result.Workers) is { } t ? $"{t}: {(t.IsMetBy(result) ? "met" : "MISSED")}" : "";
        string[] cells =
        [
            scenario.Name,
            result.Workers.ToString(CultureInfo.InvariantCulture),
            result.OpsPerSecond.ToString("N0", CultureInfo.InvariantCulture) + (result.StarvedWorkers > 0 ? $" ({result.StarvedWorkers} starved)" : ""),
            FormatMicroseconds(result.PercentileMicroseconds(0.50)),
            FormatMicroseconds(result.PercentileMicroseconds(0.90)),
            FormatMicroseconds(result.PercentileMicroseconds(0.99)),
            FormatMicroseconds(result.PercentileMicroseconds(0.999)),
            FormatMicroseconds(result.MaxMicroseconds),
            result.AllocatedBytesPerOp.ToString("N0", CultureInfo.InvariantCulture),
            FormatMicroseconds(result.CpuMicrosecondsPerOp),
            $"{result.Gen0}/{result.Gen1}/{result.Gen2}",
            FormatMicroseconds(result.GcPause.TotalMicroseconds),
            result.CpuUsage.ToString("P0", CultureInfo.InvariantCulture),
            result.MachineCpuUsage is { } machine
                ? machine.ToString("P0", CultureInfo.InvariantCulture) + (IsContended(result) ? " *" : "")
                : "n/a",
            target,
        ];
        return $"| {string.Join(" | ", cells)} |";
    }

    /// <summary>Other processes used more than a tenth of the machine while the point was measured.</summary>
    public static bool IsContended(LoadResult result) => result.MachineCpuUsage - result.CpuUsage > 0.10;

    public static string FormatMicroseconds(double microseconds) => microseconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{microseconds * 1000:0} ns"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{microseconds:0.#} µs"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000:0.##} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1_000_000:0.##} s"),
    };

    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine($"| {string.Join(" | ", Columns)} |");
        text.AppendLine($"|{string.Join("|", Columns.Select((_, i) => i is 0 || i == Columns.Length - 1 ? "---" : "--:"))}|");
        foreach (var (scenario, result) in _rows) text.AppendLine(FormatRow(scenario, result));
        if (_rows.Any(r => IsContended(r.Result)))
        {
            text.AppendLine().AppendLine(
                "\\* Other processes used more than 10% of the machine while the points marked * ran: their figures are lower than the runtime can do.");
        }
        if (_rows.Any(r => r.Result.StarvedWorkers > 0))
        {
            text.AppendLine().AppendLine(
                "(n starved): n workers completed no call started in the measured seconds, their call stuck throughout; the latencies cannot show it.");
        }
        var comparisons = Comparisons().ToList();
        if (comparisons.Count > 0)
        {
            text.AppendLine().AppendLine("Against baselines measured in the same run: ops/s of the scenario divided by the baseline's at the same workers, and by the baseline's best ops/s at any of its worker counts (the target applies to the latter):");
            text.AppendLine().AppendLine($"| {string.Join(" | ", BaselineColumns)} |");
            text.AppendLine($"|---|--:|--:|---|--:|--:|--:|--:|---|");
            foreach (var row in comparisons) text.AppendLine(row);
        }
        return text.ToString();
    }

    /// <summary>One row per scenario, baseline of it and concurrency level both ran at.</summary>
    private IEnumerable<string> Comparisons()
    {
        foreach (var (scenario, result) in _rows)
        foreach (var baseline in scenario.Baselines)
        {
            var match = _rows.FirstOrDefault(r => r.Scenario.Name == baseline.ScenarioName && r.Result.Workers == result.Workers).Result;
            var best = _rows.Where(r => r.Scenario.Name == baseline.ScenarioName).Select(r => r.Result).MaxBy(r => r.OpsPerSecond);
            if (best is null || best.OpsPerSecond <= 0) continue;
            var ratio = match is { OpsPerSecond: > 0 } ? result.OpsPerSecond / match.OpsPerSecond : (double?)null;
            var ratioToBest = result.OpsPerSecond / best.OpsPerSecond;
            string[] cells =
            [
                scenario.Name,
                result.Workers.ToString(CultureInfo.InvariantCulture),
                result.OpsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                baseline.ScenarioName,
                match?.OpsPerSecond.ToString("N0", CultureInfo.InvariantCulture) ?? "",
                ratio is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r:0.0}x") : "",
                best.OpsPerSecond.ToString("N0", CultureInfo.InvariantCulture) + $" (x{best.Workers})",
                string.Create(CultureInfo.InvariantCulture, $"{ratioToBest:0.0}x"),
                baseline.MinRatio <= 0
                    ? ""
                    : string.Create(CultureInfo.InvariantCulture, $">= {baseline.MinRatio:0.#}x: {(ratioToBest >= baseline.MinRatio ? "met" : "MISSED")}"),
            ];
            yield return $"| {string.Join(" | ", cells)} |";
        }
    }

    /// <summary>The table with the machine, the settings and what each scenario measures.</summary>
    public string Document()
    {
        var text = new StringBuilder();
        text.AppendLine($"# AdWallet benchmarks (Orleans): {suite} suite");
        text.AppendLine();
        text.AppendLine($"- Command: `{command}`");
        text.AppendLine($"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine($"- Commit: {GitCommit() ?? "unknown"}");
        text.AppendLine($"- Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        text.AppendLine($"- Runtime: {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, " +
                        $"concurrent {(GCSettings.LatencyMode != GCLatencyMode.Batch ? "on" : "off")}, {BuildConfiguration} build");
        text.AppendLine($"- Each point: a fresh silo, {warmup.TotalSeconds:0.#} s warm-up, then {duration.TotalSeconds:0.#} s measured; " +
                        "each worker awaits one call at a time (closed loop)");
        text.AppendLine();
        text.Append(Table());
        text.AppendLine();
        text.AppendLine("Latency is per call, as the worker sees it. alloc B/op is all bytes allocated in the process while " +
                        "measuring, divided by the calls. CPU/op is the process's CPU time divided by the calls: steadier than ops/s " +
                        "when other processes take cores, but it includes the thread pool's idle spinning, so it is only telling " +
                        "when the workers keep the cores busy. CPU is this process's share of all cores; machine CPU is the share " +
                        "busy with anything (from /proc/stat).");
        text.AppendLine();
        foreach (var scenario in _rows.Select(r => r.Scenario).Distinct())
            text.AppendLine($"- `{scenario.Name}`: {scenario.Measures}");
        foreach (var note in _rows.Select(r => r.Scenario.Notes).OfType<string>().Distinct())
            text.AppendLine().AppendLine(note);
        if (_checks.Count > 0)
        {
            text.AppendLine().AppendLine("Checked after each point, once every worker had stopped:").AppendLine();
            foreach (var check in _checks) text.AppendLine($"- {check}");
        }
        if (_failures.Count > 0)
        {
            text.AppendLine().AppendLine("Failed points (no row above):").AppendLine();
            foreach (var failure in _failures) text.AppendLine($"- FAILED {failure}");
        }
        return text.ToString();
    }

    public const string BuildConfiguration =
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public static string? GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            });
            if (git is null) return null;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && commit.Length > 0 ? commit : null;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }
}
