using System.Collections.Concurrent;
using Granary.TestingHost;

namespace Granary.Tests;

/// <summary>
/// Awaitable signals between test grains and tests: a grain says something happened, a test awaits it. The waits
/// are bounded only as a safety net against a hung test; nothing here sleeps.
/// </summary>
public sealed class Probe
{
    public static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<string, SignalCounter> _counters = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();

    public void Signal(string name) => Get(name).Increment();

    public int Count(string name) => Get(name).Value;

    /// <summary>Completes when <paramref name="name"/> has been signalled at least <paramref name="count"/> times.</summary>
    public Task WaitAsync(string name, int count = 1) => Get(name).WhenAtLeast(count).WaitAsync(SafetyTimeout);

    /// <summary>A gate grains can wait on until a test opens it.</summary>
    public Task Gate(string name) => _gates.GetOrAdd(name, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Open(string name) => _gates.GetOrAdd(name, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private SignalCounter Get(string name) => _counters.GetOrAdd(name, _ => new SignalCounter());
}
