namespace Granary.Messaging;

/// <summary>
/// The requests that wait, each on the next, for the current call: an immutable list, innermost first. A request that
/// would have to queue behind a request on its own chain can never run, so the runtime refuses it at once.
/// </summary>
internal sealed class CallChain(GrainId grain, long requestId, CallChain? parent)
{
    public GrainId Grain { get; } = grain;

    public long RequestId { get; } = requestId;

    public CallChain? Parent { get; } = parent;

    public bool Contains(long requestId)
    {
        for (var link = this; link is not null; link = link.Parent)
        {
            if (link.RequestId == requestId) return true;
        }
        return false;
    }

    public override string ToString()
    {
        var grains = new List<string>();
        for (var link = this; link is not null; link = link.Parent) grains.Add(link.Grain.ToString());
        grains.Reverse();
        return string.Join(" -> ", grains);
    }
}

/// <summary>The ambient call chain of the request running on this logical flow.</summary>
internal static class RequestContext
{
    private static readonly AsyncLocal<CallChain?> s_callChain = new();

    public static CallChain? CallChain
    {
        get => s_callChain.Value;
        set => s_callChain.Value = value;
    }
}
