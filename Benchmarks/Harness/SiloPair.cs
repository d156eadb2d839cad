using Granary.Benchmarks.Grains;
using Granary.Catalog;
using Granary.GrainReferences;
using Granary.Hosting;
using Granary.Messaging;
using Granary.Networking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Benchmarks.Harness;

/// <summary>
/// Two silos in this process, each listening on a loopback port, and grain references of the first whose calls all run
/// on the second, over TCP. Stands in for placement and routing, which are not part of what it measures.
/// </summary>
internal sealed class SiloPair : IAsyncDisposable
{
    private readonly IHost _caller;
    private readonly IHost _callee;

    private SiloPair(IHost caller, IHost callee)
    {
        _caller = caller;
        _callee = callee;
        var address = callee.Services.GetRequiredService<SiloListener>().LocalAddress;
        var client = new RemoteClient(caller.Services.GetRequiredService<IRemoteCallSender>(), address, caller.Services.GetRequiredService<ResponseTimeouts>());
        var factory = new GrainFactory(caller.Services.GetRequiredService<GrainTypeManifest>(), () => client);
        client.GrainFactory = factory;
        Remote = factory;
    }

    /// <summary>References made on the first silo whose grains run on the second.</summary>
    public IGrainFactory Remote { get; }

    /// <summary>Activations on the first silo and on the second: where the calls ran.</summary>
    public (int Caller, int Callee) ActivationCounts =>
        (_caller.Services.GetRequiredService<SiloRuntime>().Catalog.Count, _callee.Services.GetRequiredService<SiloRuntime>().Catalog.Count);

    public static async Task<SiloPair> StartAsync()
    {
        var callee = await StartSiloAsync();
        try
        {
            return new SiloPair(await StartSiloAsync(), callee);
        }
        catch
        {
            await callee.StopAsync();
            callee.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in new[] { _caller, _callee })
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    private static async Task<IHost> StartSiloAsync()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Benchmark" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IIncomingCallHandler, CatalogCallHandler>();
        builder.UseGranary(silo =>
        {
            silo.AddGrains(typeof(BenchGrain).Assembly);
            silo.Services.AddSiloTransport(silo.Configuration, listen: true);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private sealed class CatalogCallHandler(SiloRuntime runtime) : IIncomingCallHandler
    {
        public void Receive(GrainCall call) => runtime.Catalog.Deliver(call);
    }

    private sealed class RemoteClient(IRemoteCallSender sender, SiloAddress target, ResponseTimeouts timeouts) : IRuntimeClient
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
