using Xunit.Abstractions;

namespace AdWallet.Cluster.Tests;

/// <summary>Three silo processes and the API; one silo SIGKILLed mid-load; then the money and the reminders are checked.</summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_silo_killed_mid_load_loses_no_money_and_its_reminders_fire_on_the_survivors()
    {
        var server = PostgresEnvironment.RequireConnectionString();
        var run = Guid.NewGuid().ToString("N")[..8];
        var logFolder = Path.Combine(Path.GetTempPath(), $"adwallet-mp-{run}");
        Directory.CreateDirectory(logFolder);
        output.WriteLine($"Logs of the silos and the API: {logFolder}");

        ProcessCluster? cluster = null;
        try
        {
            var starting = System.Diagnostics.Stopwatch.StartNew();
            cluster = await ProcessCluster.StartAsync(server, siloCount: 3, logFolder, StartBound);
            output.WriteLine($"Cluster of 3 silos and the API ready in {starting.Elapsed.TotalSeconds:0.0} s.");
            await new FailoverScenario(cluster, run, output.WriteLine).RunAsync();
        }
        catch (Exception exception)
        {
            throw new ClusterTestFailure(
                $"{exception.Message}{Environment.NewLine}Logs of the silos and the API: {logFolder}{Environment.NewLine}{cluster?.DescribeLogs()}", exception);
        }
        finally
        {
            if (cluster is not null) await cluster.DisposeAsync();
        }
        // Kept when the test fails, for reading.
        Directory.Delete(logFolder, recursive: true);
    }
}

public sealed class ClusterTestFailure(string message, Exception inner) : Exception(message, inner);
