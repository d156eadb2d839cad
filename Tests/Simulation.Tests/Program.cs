using System.Globalization;
using System.Text;

namespace AdWallet.Simulation.Tests;

/// <summary>
/// <c>dotnet run -c Release --project Tests/Simulation.Tests -- --minutes 10 [--steps 200] [--ops 48] [--seed N] [--out file]</c>:
/// runs seeds one after another (random ones, or N, N+1, …) for as long as asked, and reports the seeds, operations and
/// faults exercised per minute. A broken invariant stops the run and prints its seed and the steps that led to it.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = args.Chunk(2).Where(pair => pair.Length == 2 && pair[0].StartsWith("--", StringComparison.Ordinal))
            .ToDictionary(pair => pair[0][2..], pair => pair[1]);
        var minutes = double.Parse(options.GetValueOrDefault("minutes", "10"), CultureInfo.InvariantCulture);
        var steps = int.Parse(options.GetValueOrDefault("steps", "200"), CultureInfo.InvariantCulture);
        var nextSeed = options.TryGetValue("seed", out var seedText) ? int.Parse(seedText, CultureInfo.InvariantCulture) : Random.Shared.Next();
        var output = options.GetValueOrDefault("out");
        var perStep = int.Parse(options.GetValueOrDefault("ops", "48"), CultureInfo.InvariantCulture);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reports = new List<SimulationReport>();
        SimulationFailure? failure = null;
        while (clock.Elapsed < TimeSpan.FromMinutes(minutes))
        {
            var seed = nextSeed++;
            try
            {
                var report = await SimulationRun.RunAsync(seed, new SimulationSettings(steps, perStep));
                reports.Add(report);
                Console.Error.Write(report.Describe());
            }
            catch (SimulationFailure broken)
            {
                failure = broken;
                reports.Add(broken.Report);
                break;
            }
        }
        var summary = Summarize(reports, clock.Elapsed, minutes, steps, perStep, failure);
        Console.WriteLine(summary);
        if (output is not null) await File.WriteAllTextAsync(output, summary);
        return failure is null ? 0 : 1;
    }

    private static string Summarize(List<SimulationReport> reports, TimeSpan elapsed, double minutes, int steps, int perStep, SimulationFailure? failure)
    {
        var operations = reports.Sum(r => r.Operations);
        var faults = reports.Sum(r => r.Faults);
        var perMinute = elapsed.TotalMinutes;
        var text = new StringBuilder();
        text.AppendLine("# Simulation run").AppendLine();
        text.AppendLine($"- Command: `dotnet run -c Release --project Tests/Simulation.Tests -- --minutes {minutes.ToString(CultureInfo.InvariantCulture)} --steps {steps} --ops {perStep}`");
        text.AppendLine($"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores");
        text.AppendLine($"- {reports.Count} seeds in {elapsed.TotalMinutes:0.0} min: {operations:N0} operations ({operations / perMinute:N0} a minute), " +
                        $"{faults:N0} injected faults ({faults / perMinute:N0} a minute)");
        text.AppendLine($"- Result: {(failure is null ? "no invariant broken" : "INVARIANT BROKEN")}").AppendLine();
        text.AppendLine("| kind | operations |").AppendLine("|---|--:|");
        foreach (var kind in reports.SelectMany(r => r.OperationsByKind).GroupBy(o => o.Key).OrderBy(g => g.Key))
            text.AppendLine($"| {kind.Key} | {kind.Sum(o => o.Value):N0} |");
        text.AppendLine().AppendLine("| fault | injected |").AppendLine("|---|--:|");
        foreach (var kind in reports.SelectMany(r => r.FaultsByKind).GroupBy(o => o.Key).OrderBy(g => g.Key))
            text.AppendLine($"| {kind.Key} | {kind.Sum(o => o.Value):N0} |");
        text.AppendLine().AppendLine("Seeds: " + string.Join(", ", reports.Select(r => r.Seed)));
        if (failure is not null) text.AppendLine().AppendLine("```").AppendLine(failure.Message).AppendLine("```");
        return text.ToString();
    }
}
