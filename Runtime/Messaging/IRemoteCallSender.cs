namespace Granary.Messaging;

/// <summary>Carries grain calls to other silos: the network transport's sending side.</summary>
internal interface IRemoteCallSender
{
    /// <summary>
    /// Sends <paramref name="call"/> to the silo at <paramref name="silo"/>. The call's own result carries the answer, the
    /// grain's exception, or a <see cref="SiloUnavailableException"/> when the silo cannot be reached or the connection
    /// is lost before the answer. The caller has registered the call with its response timeouts already.
    /// </summary>
    void Send(SiloAddress silo, GrainCall call);
}

/// <summary>
/// Takes the calls other silos send to this one: the transport rebuilds each as a local <see cref="GrainCall"/>, with
/// <see cref="GrainCall.Hops"/> counting how often it was forwarded, and answers the sender when the call's result is set.
/// </summary>
internal interface IIncomingCallHandler
{
    void Receive(GrainCall call);
}
