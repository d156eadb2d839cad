using Granary.Catalog;
using Granary.GrainReferences;
using Granary.Hosting;
using Granary.Messaging;
using Granary.Networking;
using Granary.TestingHost;
using Granary.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Tests.Networking;

/// <summary>
/// Two silos of a test cluster, each listening on a loopback port the system picked, with real sockets between them.
/// <see cref="Remote"/> sends every call from silo 1 to silo 2 over the transport.
/// </summary>
internal sealed class TransportCluster : IAsyncDisposable
{
    private TransportCluster(TestCluster cluster)
    {
        Cluster = cluster;
        Silo1 = cluster.Silos[0];
        Silo2 = cluster.Silos[1];
        Remote = RemoteFactory(Silo1, AddressOf(Silo2));
        Silo1.Services.GetRequiredService<PeerRouter>().Peer = Remote;
        Silo2.Services.GetRequiredService<PeerRouter>().Peer = RemoteFactory(Silo2, AddressOf(Silo1));
    }

    public TestCluster Cluster { get; }

    public TestSilo Silo1 { get; }

    public TestSilo Silo2 { get; }

    /// <summary>Grain references of silo 1 whose calls run on silo 2.</summary>
    public IGrainFactory Remote { get; }

    public static async Task<TransportCluster> StartAsync(Probe probe, Action<TestClusterBuilder>? configure = null)
    {
        var cluster = await Clusters.StartAsync(probe, builder =>
        {
            builder.InitialSilosCount = 2;
            builder.ConfigureSilo(silo => silo.Services.AddSiloTransport(silo.Configuration, listen: true));
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<IIncomingCallHandler, CatalogCallHandler>();
                services.AddSingleton<PeerRouter>();
            });
            configure?.Invoke(builder);
        });
        return new TransportCluster(cluster);
    }

    public static SiloAddress AddressOf(TestSilo silo) => silo.Services.GetRequiredService<SiloListener>().LocalAddress;

    public static SiloListener ListenerOf(TestSilo silo) => silo.Services.GetRequiredService<SiloListener>();

    public static SiloConnectionManager SenderOf(TestSilo silo) => silo.Services.GetRequiredService<SiloConnectionManager>();

    /// <summary>References made in <paramref name="from"/> whose calls all go to <paramref name="to"/>.</summary>
    public static IGrainFactory RemoteFactory(TestSilo from, SiloAddress to)
    {
        var client = new RemoteRuntimeClient(SenderOf(from), to, from.Services.GetRequiredService<ResponseTimeouts>());
        var factory = new GrainFactory(from.Services.GetRequiredService<GrainTypeManifest>(), () => client);
        client.GrainFactory = factory;
        return factory;
    }

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();

    /// <summary>Delivers every incoming call to the silo's own catalog: the simplest router.</summary>
    private sealed class CatalogCallHandler(SiloRuntime runtime) : IIncomingCallHandler
    {
        public void Receive(GrainCall call) => runtime.Catalog.Deliver(call);
    }

    private sealed class RemoteRuntimeClient(IRemoteCallSender sender, SiloAddress target, ResponseTimeouts timeouts) : IRuntimeClient
    {
        public ResponseTimeouts Timeouts => timeouts;

        public IGrainFactory GrainFactory { get; set; } = null!;

        public void SendRequest(GrainCall call)
        {
            timeouts.Register(call);
            sender.Send(target, call);
        }
    }
}
