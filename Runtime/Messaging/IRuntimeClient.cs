namespace Granary.Messaging;

/// <summary>Where grain references send their calls: the silo's own runtime, or a client of a cluster.</summary>
internal interface IRuntimeClient
{
    ResponseTimeouts Timeouts { get; }

    IGrainFactory GrainFactory { get; }

    /// <summary>Sends a call to its target grain. The call's own result carries the answer or the failure.</summary>
    void SendRequest(GrainCall call);
}
