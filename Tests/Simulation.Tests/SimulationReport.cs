using System.Collections.Concurrent;
using System.Text;

namespace AdWallet.Simulation.Tests;

/// <summary>What one seed's run did: operations and faults by kind, and the trace of its last steps.</summary>
public sealed class SimulationReport(int seed)
{
    private const int TraceLines = 300;
    private readonly ConcurrentDictionary<string, int> _operations = new();
    private readonly ConcurrentDictionary<string, int> _faults = new();
    private readonly Queue<string> _trace = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public int Seed { get; } = seed;

    public int Steps { get; set; }

    public TimeSpan Elapsed => _clock.Elapsed;

    public int Operations => _operations.Values.Sum();

    public int Faults => _faults.Values.Sum();

    public IReadOnlyDictionary<string, int> OperationsByKind => _operations;

    public IReadOnlyDictionary<string, int> FaultsByKind => _faults;

    public void Operation(string kind) => _operations.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void Fault(string kind, int count = 1) => _faults.AddOrUpdate(kind, count, (_, n) => n + count);

    public void Trace(string line)
    {
        lock (_trace)
        {
            _trace.Enqueue(line);
            if (_trace.Count > TraceLines) _trace.Dequeue();
        }
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"seed {Seed}: {Steps} steps, {Operations:N0} operations, {Faults:N0} faults in {Elapsed.TotalSeconds:0.0} s");
        text.AppendLine("  operations: " + string.Join(", ", _operations.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value:N0}")));
        text.AppendLine("  faults: " + string.Join(", ", _faults.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value:N0}")));
        return text.ToString();
    }

    public string TraceText()
    {
        lock (_trace) return string.Join(Environment.NewLine, _trace);
    }
}

/// <summary>An invariant broke: the message names it, the seed that repeats the workload and faults, and the trace.</summary>
public sealed class SimulationFailure(SimulationReport report, string invariant, Exception? inner = null)
    : Exception($"Invariant broken with seed {report.Seed} (run it again with that seed): {invariant}{Environment.NewLine}" +
                $"{report.Describe()}Last steps:{Environment.NewLine}{report.TraceText()}", inner)
{
    public SimulationReport Report { get; } = report;
}
