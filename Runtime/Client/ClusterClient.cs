using Granary.Hosting;
using Granary.Membership;
using Granary.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Client;

/// <summary>
/// Sends grain calls from a process that hosts no grains (the HTTP API in cluster mode) straight to the silo that
/// places each grain. It reads the membership table every <see cref="ClusterMembershipOptions.RefreshPeriod"/> and
/// computes the same ring as the silos, so a call needs no extra hop while the views agree.
/// </summary>
internal sealed class ClusterClient(
    IMembershipTable table,
    IRemoteCallSender sender,
    ResponseTimeouts timeouts,
    IOptions<ClusterMembershipOptions> options,
    TimeProvider time,
    IServiceProvider services,
    ILogger<ClusterClient> logger) : IRuntimeClient, IClusterOverview, IHostedService, IDisposable
{
    private readonly ClusterMembershipOptions _options = options.Value;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private ITimer? _timer;

    public ClusterView CurrentView { get; private set; } = ClusterView.Empty;

    public ResponseTimeouts Timeouts => timeouts;

    public IGrainFactory GrainFactory => services.GetRequiredService<IGrainFactory>();

    public string? NotReadyReason => CurrentView.Ring.IsEmpty ? "No silo of the cluster is active." : null;

    public void SendRequest(GrainCall call)
    {
        timeouts.Register(call);
        if (CurrentView.Ring.Owner(call.Target) is { } silo)
            sender.Send(silo, call);
        else
            call.Fail(new SiloUnavailableException($"No silo of the cluster is active; {call} was not sent."));
    }

    public IReadOnlyList<SiloSummary> GetSilos() =>
        [.. CurrentView.Members.Select(m => new SiloSummary(m.Address.ToString(), m.Address.Endpoint, m.Status, m.ActivationCount))];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The client starts even when no silo runs yet (or the database is briefly away): readiness says so meanwhile.
        await TryRefreshAsync(cancellationToken);
        _timer = time.CreateTimer(static state => _ = ((ClusterClient)state!).TryRefreshAsync(CancellationToken.None), this,
            _options.RefreshPeriod, _options.RefreshPeriod);
        logger.LogInformation("Cluster client started; {Count} active silos", CurrentView.Ring.Silos.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _timer?.Dispose();
        timeouts.Dispose();
    }

    /// <summary>Reads the membership table now.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            var rows = await table.ReadAllAsync(cancellationToken);
            var members = ClusterViewBuilder.WithSilentSilosDead(rows, time.GetUtcNow(), _options.DeathTimeout);
            var previous = CurrentView;
            var changed = !ClusterViewBuilder.SameMembers(previous.Members, members);
            CurrentView = new ClusterView(changed ? previous.Version + 1 : previous.Version, members);
            if (changed)
                logger.LogInformation("Cluster view {Version}: {Silos}", CurrentView.Version, string.Join(", ", members.Select(m => $"{m.Address} {m.Status}")));
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private async Task TryRefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Reading the membership table failed; trying again in {Period}", _options.RefreshPeriod);
        }
    }
}
