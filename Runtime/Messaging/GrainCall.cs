using Granary.GrainReferences;

namespace Granary.Messaging;

/// <summary>A call through a grain reference: a method, its arguments and the caller's awaited result.</summary>
internal abstract class GrainCall(GrainId target, CallChain? callChain) : Request(target, callChain)
{
    /// <summary>When the caller stops waiting, as a <see cref="TimeProvider"/> timestamp.</summary>
    public long Deadline { get; set; }

    /// <summary>How many silos have forwarded this call so far; bounds forwarding while silos disagree on placement.</summary>
    public int Hops { get; set; }

    public abstract GrainMethod Method { get; }

    /// <summary>The arguments, as the interface method declares them; read by the transport to send the call.</summary>
    public abstract object?[] Arguments { get; }
}

internal sealed class GrainCall<TResult>(
    GrainId target,
    GrainMethod<TResult> method,
    object?[] arguments,
    CallChain? callChain,
    ResponseTimeouts timeouts) : GrainCall(target, callChain)
{
    // Continuations run asynchronously: an answer must never run the caller's code inside the callee's turn.
    private readonly TaskCompletionSource<TResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Result => _result.Task;

    public override GrainMethod Method => method;

    public override object?[] Arguments => arguments;

    public override bool IsInterleaving => method.AlwaysInterleave;

    public override bool IsAnswered => _result.Task.IsCompleted;

    public override Task Invoke(object grain) => method.Invoke(grain, arguments);

    public override void Complete(Task task)
    {
        timeouts.Unregister(this);
        var typed = (Task<TResult>)task;
        if (typed.IsCompletedSuccessfully)
            _result.TrySetResult(typed.Result);
        else if (typed.IsCanceled)
            _result.TrySetCanceled();
        else
            _result.TrySetException(typed.Exception!.InnerExceptions);
    }

    /// <summary>Delivers an answer that came from another silo.</summary>
    public void SetResult(TResult result)
    {
        timeouts.Unregister(this);
        _result.TrySetResult(result);
    }

    public override void Fail(Exception exception)
    {
        timeouts.Unregister(this);
        _result.TrySetException(exception);
    }

    public override string ToString() => $"{method} on {Target}";
}
