namespace Granary.Messaging;

/// <summary>A unit of work for an activation: a grain call, or a timer tick. It carries its own completion.</summary>
internal abstract class Request
{
    // Call chains cross silos, so ids must not collide between processes: each process counts from a random high start.
    private static long s_nextId = (long)Random.Shared.Next(1, int.MaxValue) << 32;

    protected Request(GrainId target, CallChain? callChain)
    {
        Target = target;
        CallChain = callChain;
    }

    /// <summary>Unique in the cluster (with overwhelming probability); identifies the request in call chains.</summary>
    public long Id { get; } = Interlocked.Increment(ref s_nextId);

    public GrainId Target { get; }

    /// <summary>The requests waiting on this one, innermost first; null when it did not come from a grain.</summary>
    public CallChain? CallChain { get; }

    /// <summary>May start while other requests of the activation wait on an <c>await</c>.</summary>
    public abstract bool IsInterleaving { get; }

    /// <summary>Counts as activity for idle collection.</summary>
    public virtual bool KeepsAlive => true;

    /// <summary>Dropped, not delivered elsewhere, when its activation leaves before running it.</summary>
    public virtual bool DiesWithActivation => false;

    /// <summary>Answered already (completed, failed or timed out): nothing waits for it any more.</summary>
    public abstract bool IsAnswered { get; }

    /// <summary>Runs the request on the grain and returns its task. Called on the activation's turn.</summary>
    public abstract Task Invoke(object grain);

    /// <summary>Delivers the outcome of the task returned by <see cref="Invoke"/>, which has completed.</summary>
    public abstract void Complete(Task task);

    public abstract void Fail(Exception exception);

    /// <summary>A short description for logs and exception messages.</summary>
    public abstract override string ToString();
}
