using Granary.Hosting;
using Granary.Placement;

namespace Granary.Messaging;

/// <summary>
/// Takes the calls other silos send here: runs them here when this silo places their grain, and otherwise forwards
/// them to the silo that does. Forwarding stops after <see cref="MaxHops"/>, so silos that briefly disagree on the
/// ring cannot bounce a call between them; the call then runs here, which the ETag check on state writes makes safe.
/// </summary>
internal sealed class IncomingCallRouter(SiloRuntime runtime, IGrainPlacement placement, IRemoteCallSender sender) : IIncomingCallHandler
{
    public const int MaxHops = 2;

    public void Receive(GrainCall call)
    {
        var target = placement.Place(call.Target);
        if (target.Kind == PlacementKind.Remote && call.Hops < MaxHops)
        {
            call.Hops++;
            sender.Send(target.Silo, call);
            return;
        }
        runtime.Catalog.Deliver(call);
    }
}
