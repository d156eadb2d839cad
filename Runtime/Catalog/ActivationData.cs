using Granary.Hosting;
using Granary.Messaging;
using Granary.Scheduler;
using Granary.Storage;
using Granary.Timers;
using Microsoft.Extensions.Logging;

namespace Granary.Catalog;

/// <summary>
/// One activation of a grain: the grain object, its queue of requests and its lifecycle. Everything here except
/// <see cref="Receive"/> and the <c>Post*</c> methods runs on the activation's own turn, one item at a time.
/// </summary>
internal sealed class ActivationData
{
    [ThreadStatic] private static ActivationData? t_underConstruction;

    private readonly WorkItemGroup _scheduler;
    private readonly SendOrPostCallback _onReceive;
    private readonly Queue<Request> _waiting = new();
    private readonly List<Request> _running = new(1);
    private readonly List<GrainTimer> _timers = [];
    private readonly List<IGrainStateParticipant> _states = [];
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private ActivationState _state = ActivationState.Created;
    private DeactivationReason? _pendingDeactivation;
    private long _lastActivity;

    public ActivationData(GrainId grainId, GrainClass grainClass, SiloRuntime runtime)
    {
        GrainId = grainId;
        GrainClass = grainClass;
        Runtime = runtime;
        _logger = runtime.ActivationLogger;
        _scheduler = new WorkItemGroup(this, _logger);
        _onReceive = OnReceive;
        _lastActivity = runtime.Time.GetTimestamp();
    }

    /// <summary>The activation whose grain constructor is running on this thread.</summary>
    public static ActivationData? UnderConstruction => t_underConstruction;

    public GrainId GrainId { get; }

    public GrainClass GrainClass { get; }

    public SiloRuntime Runtime { get; }

    public Grain? Grain { get; private set; }

    /// <summary>Completes when the activation has left the catalog.</summary>
    public Task Deactivated => _deactivated.Task;

    /// <summary>The last time a request finished, as a <see cref="TimeProvider"/> timestamp. Read by the idle collector.</summary>
    public long LastActivity => Volatile.Read(ref _lastActivity);

    /// <summary>Queues a request for this activation. Safe from any thread.</summary>
    public void Receive(Request request) => _scheduler.Enqueue(_onReceive, request);

    /// <summary>Deactivates once no request is running. Safe from any thread.</summary>
    public void PostDeactivation(DeactivationReason reason) =>
        _scheduler.Enqueue(static state => { var (self, reason) = ((ActivationData, DeactivationReason))state!; self.RequestDeactivation(reason); }, (this, reason));

    /// <summary>Deactivates if nothing has happened since <paramref name="idleSince"/>. Safe from any thread.</summary>
    public void PostCollectIfIdle(long idleSince) =>
        _scheduler.Enqueue(static state =>
        {
            var (self, idleSince) = ((ActivationData, long))state!;
            if (self._state == ActivationState.Valid && self._running.Count == 0 && self._waiting.Count == 0 && self._lastActivity <= idleSince)
                self.RequestDeactivation(new DeactivationReason(DeactivationReasonCode.ActivationIdle, "The activation was idle."));
        }, (this, idleSince));

    /// <summary>Drops the activation at once, as a crashed silo would: no <c>OnDeactivateAsync</c>, waiting requests fail.</summary>
    public void PostKill(Exception error) =>
        _scheduler.Enqueue(static state =>
        {
            var (self, error) = ((ActivationData, Exception))state!;
            self.StopTimers();
            self._state = ActivationState.Invalid;
            // Callers of a crashed silo hear nothing more, even from turns still finishing.
            foreach (var request in self._running) request.Fail(error);
            while (self._waiting.TryDequeue(out var request)) request.Fail(error);
            self._deactivated.TrySetResult();
        }, (this, error));

    /// <summary>Asks for deactivation after the running requests finish. Runs on the activation's turn.</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        if (_state is ActivationState.Deactivating or ActivationState.Invalid || _pendingDeactivation is not null) return;
        _pendingDeactivation = reason;
        if (_state == ActivationState.Valid && _running.Count == 0)
            _ = DeactivateAsync(reason);
    }

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        if (_state is ActivationState.Deactivating or ActivationState.Invalid)
            throw new InvalidOperationException($"{GrainId} is deactivating and cannot start a timer.");
        var timer = new GrainTimer(this, callback, dueTime, period, Runtime.Time);
        _timers.Add(timer);
        return timer;
    }

    internal void RemoveTimer(GrainTimer timer) => _timers.Remove(timer);

    internal void AddState(IGrainStateParticipant state) => _states.Add(state);

    /// <summary>A state of this grain failed to write: its in-memory state is no longer what is stored, so it is dropped.</summary>
    internal void OnStateWriteFailed(Exception exception)
    {
        var reason = new DeactivationReason(DeactivationReasonCode.InconsistentState, $"A state write failed: {exception.Message}");
        if (_scheduler.IsCurrent)
            RequestDeactivation(reason);
        else
            PostDeactivation(reason);
    }

    internal void LogTimerFailure(Exception exception) =>
        _logger.LogError(exception, "A timer callback of {GrainId} failed", GrainId);

    private void OnReceive(object? state)
    {
        var request = (Request)state!;
        switch (_state)
        {
            case ActivationState.Invalid:
                Runtime.Catalog.Reroute(request);
                return;
            case ActivationState.Created:
                _waiting.Enqueue(request);
                _ = ActivateAsync();
                return;
            case ActivationState.Activating or ActivationState.Deactivating:
                _waiting.Enqueue(request);
                return;
        }

        if (request.IsAnswered) return;
        if (!CanStart(request) && WouldDeadlock(request))
        {
            request.Fail(new DeadlockException(
                $"{request} would wait for {GrainId}, which is waiting further up the same call chain ({request.CallChain}). " +
                "Mark the grain [Reentrant] or the method [AlwaysInterleave], or break the cycle."));
            return;
        }

        if ((request.IsInterleaving || GrainClass.IsReentrant) && CanStart(request))
            Start(request);
        else
            _waiting.Enqueue(request);
        Pump();
    }

    private bool CanStart(Request request) =>
        _pendingDeactivation is null && (_running.Count == 0 || GrainClass.IsReentrant || request.IsInterleaving);

    private bool WouldDeadlock(Request request)
    {
        if (request.CallChain is not { } chain) return false;
        foreach (var running in _running)
        {
            if (chain.Contains(running.Id)) return true;
        }
        return false;
    }

    private void Start(Request request)
    {
        _running.Add(request);
        var caller = RequestContext.CallChain;
        RequestContext.CallChain = new CallChain(GrainId, request.Id, request.CallChain);
        Task task;
        try
        {
            task = request.Invoke(Grain!);
        }
        catch (Exception exception)
        {
            Finish(request);
            request.Fail(exception);
            return;
        }
        finally
        {
            RequestContext.CallChain = caller;
        }

        if (task.IsCompleted)
        {
            Finish(request);
            request.Complete(task);
        }
        else
        {
            // Resumes on this activation's turn: the awaiter posts to the current SynchronizationContext.
            task.GetAwaiter().UnsafeOnCompleted(() =>
            {
                Finish(request);
                request.Complete(task);
                Pump();
            });
        }
    }

    private void Finish(Request request)
    {
        _running.Remove(request);
        if (request.KeepsAlive)
            Volatile.Write(ref _lastActivity, Runtime.Time.GetTimestamp());
    }

    /// <summary>Starts waiting requests while the activation can take them, or deactivates once it is asked to.</summary>
    private void Pump()
    {
        while (_state == ActivationState.Valid)
        {
            if (_pendingDeactivation is { } reason)
            {
                if (_running.Count == 0) _ = DeactivateAsync(reason);
                return;
            }
            if (!_waiting.TryPeek(out var next)) return;
            if (next.IsAnswered)
            {
                _waiting.Dequeue();
                continue;
            }
            if (!CanStart(next)) return;
            _waiting.Dequeue();
            Start(next);
        }
    }

    private async Task ActivateAsync()
    {
        _state = ActivationState.Activating;
        try
        {
            t_underConstruction = this;
            try
            {
                Grain = Runtime.Activator.Create(this);
            }
            finally
            {
                t_underConstruction = null;
            }
            foreach (var state in _states)
                await state.ReadStateAsync();
            await Grain.OnActivateAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            _logger.LogError(exception, "Activation of {GrainId} failed", GrainId);
            StopTimers();
            Runtime.Catalog.Remove(this);
            _state = ActivationState.Invalid;
            var error = new GrainActivationException($"Activation of {GrainId} failed: {exception.Message}", exception);
            while (_waiting.TryDequeue(out var request)) request.Fail(error);
            _deactivated.TrySetResult();
            return;
        }

        _state = ActivationState.Valid;
        Volatile.Write(ref _lastActivity, Runtime.Time.GetTimestamp());
        Pump();
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        _state = ActivationState.Deactivating;
        StopTimers();
        // A grain whose state failed to write has nothing trustworthy to save; it is only dropped.
        if (reason.Code != DeactivationReasonCode.InconsistentState)
        {
            try
            {
                await Grain!.OnDeactivateAsync(reason, CancellationToken.None);
            }
            catch (Exception exception)
            {
                _logger.LogError(exception, "OnDeactivateAsync of {GrainId} failed", GrainId);
            }
        }

        Runtime.Catalog.Remove(this);
        _state = ActivationState.Invalid;
        _logger.LogDebug("Deactivated {GrainId}: {Reason}", GrainId, reason);
        while (_waiting.TryDequeue(out var request)) Runtime.Catalog.Reroute(request);
        _deactivated.TrySetResult();
    }

    private void StopTimers()
    {
        foreach (var timer in _timers.ToArray()) timer.Dispose();
        _timers.Clear();
    }

    public override string ToString() => $"Activation({GrainId})";

    private enum ActivationState
    {
        Created,
        Activating,
        Valid,
        Deactivating,
        Invalid,
    }
}
