namespace Granary.Hosting;

/// <summary>Where this silo is reached by other silos: the transport's listener. Read it only once the listener has started.</summary>
internal interface ISiloEndpoint
{
    SiloAddress Address { get; }
}
