namespace AdWallet.Cluster.Tests;

/// <summary>
/// Runs a scenario on a fresh process cluster on the tests' PostgreSQL server, with its logs in a folder of its own:
/// deleted when the scenario passes, kept and named (with the tail of every log) when it fails.
/// </summary>
public static class ClusterRun
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    /// <param name="scenario">Given the cluster and a short run id that keeps the scenario's users and resources apart.</param>
    public static async Task RunAsync(string name, int siloCount, Action<string> log, Func<ProcessCluster, string, Task> scenario,
        IReadOnlyList<string>? extraSiloArguments = null)
    {
        var server = PostgresEnvironment.RequireConnectionString();
        var run = Guid.NewGuid().ToString("N")[..8];
        var logFolder = Path.Combine(Path.GetTempPath(), $"adwallet-{name}-{run}");
        Directory.CreateDirectory(logFolder);
        log($"Logs of the silos, the gateway and the API: {logFolder}");

        ProcessCluster? cluster = null;
        try
        {
            cluster = await ProcessCluster.StartAsync(server, siloCount, logFolder, StartBound, extraSiloArguments);
            await scenario(cluster, run);
        }
        catch (Exception exception)
        {
            throw new ClusterTestFailure(
                $"{exception.Message}{Environment.NewLine}Logs: {logFolder}{Environment.NewLine}{cluster?.DescribeLogs()}", exception);
        }
        finally
        {
            if (cluster is not null) await cluster.DisposeAsync();
        }
        Directory.Delete(logFolder, recursive: true);
    }
}
