using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AdWallet.Silo;

/// <summary>
/// A silo process of the cluster mode (or, without <c>Cluster:Mode</c>, an embedded silo with no API). A named class
/// rather than top-level statements: the web SDK that comes with the dashboard would make a top-level <c>Program</c>
/// public, and it would clash with the API's.
/// </summary>
internal static class SiloProgram
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(HostArguments.WithoutConfigurationReload(args));
        // Orleans tells a great deal at Information (every option at start); its warnings and errors are what an operator needs.
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.UsePlatformSilo();
        await builder.Build().RunAsync();
    }
}
