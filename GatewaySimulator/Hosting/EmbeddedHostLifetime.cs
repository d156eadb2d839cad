namespace AdWallet.GatewaySimulator;

/// <summary>
/// The lifetime of a simulator inside another host: it does not listen for Ctrl+C or SIGTERM (the host does, and stops
/// the simulator), nor print the console lifetime's banner.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
