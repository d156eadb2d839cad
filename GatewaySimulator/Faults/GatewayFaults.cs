using System.Collections.Concurrent;

namespace AdWallet.GatewaySimulator.Faults;

/// <summary>
/// The faults the simulator plays: standing faults, and capture faults queued for the next payment requests. Driven by
/// <c>/admin</c> or directly by an in-process host (<see cref="GatewaySimulatorServer.Faults"/>).
/// </summary>
public sealed class GatewayFaults
{
    private readonly ConcurrentQueue<CaptureFault> _captures = new();
    private readonly Lock _holdLock = new();
    private readonly List<TaskCompletionSource> _held = [];
    private TaskCompletionSource _holdStarted = NewSignal();
    private StandingFaults _standing = StandingFaults.None;

    public StandingFaults Standing => Volatile.Read(ref _standing);

    public void SetStanding(StandingFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        Volatile.Write(ref _standing, faults);
    }

    /// <summary>Queues faults for the next payment requests, one each, in order.</summary>
    public void EnqueueCaptures(params IEnumerable<CaptureFault> faults)
    {
        foreach (var fault in faults)
            _captures.Enqueue(fault);
    }

    public int QueuedCaptures => _captures.Count;

    /// <summary>How many answers are held now.</summary>
    public int Held
    {
        get
        {
            lock (_holdLock)
                return _held.Count;
        }
    }

    /// <summary>
    /// Completes once a <see cref="CaptureFault.HoldAfterCapture"/> payment has captured and holds its answer; stays
    /// complete until <see cref="ReleaseHolds"/>, after which it waits for the next hold.
    /// </summary>
    public Task HoldStarted
    {
        get
        {
            lock (_holdLock)
                return _holdStarted.Task;
        }
    }

    /// <summary>Answers every held payment request.</summary>
    public void ReleaseHolds()
    {
        List<TaskCompletionSource> released;
        lock (_holdLock)
        {
            released = [.. _held];
            _held.Clear();
            if (_holdStarted.Task.IsCompleted)
                _holdStarted = NewSignal();
        }
        foreach (var hold in released)
            hold.TrySetResult();
    }

    internal CaptureFault? TakeCapture() => _captures.TryDequeue(out var fault) ? fault : null;

    /// <summary>Holds the caller until <see cref="ReleaseHolds"/> (or the request goes away).</summary>
    internal async Task HoldAsync(CancellationToken cancellationToken)
    {
        var hold = NewSignal();
        lock (_holdLock)
        {
            _held.Add(hold);
            _holdStarted.TrySetResult();
        }
        try
        {
            await hold.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_holdLock)
                _held.Remove(hold);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
