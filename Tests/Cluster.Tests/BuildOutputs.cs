using System.Reflection;

namespace AdWallet.Cluster.Tests;

/// <summary>
/// The builds of the Silo, Api and GatewaySimulator projects, which this project references only to have them built: their paths are
/// recorded as assembly metadata at build time (see the csproj), and each runs from its own output folder.
/// </summary>
public static class BuildOutputs
{
    public static string SiloAssembly => Find("AdWallet.Silo");

    public static string ApiAssembly => Find("AdWallet.Api");

    public static string GatewaySimulatorAssembly => Find("AdWallet.GatewaySimulator");

    private static string Find(string name)
    {
        var path = typeof(BuildOutputs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == name)?.Value
            ?? throw new InvalidOperationException($"The build did not record where {name}.dll is; see RecordChildProcessAssemblies in Cluster.Tests.csproj.");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{name}.dll is not where the build put it; build Orleans.sln first.", path);
    }
}
