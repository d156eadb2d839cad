using Granary.Catalog;
using Granary.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Membership;

/// <summary>
/// This silo's part in the membership table: it adds its row when it starts, writes a heartbeat every
/// <see cref="ClusterMembershipOptions.IAmAlivePeriod"/>, reads the table every <see cref="ClusterMembershipOptions.RefreshPeriod"/>,
/// declares silent silos dead, removes old dead rows, and tells its listeners (placement, catalog, reminders) when the
/// view changes. A silo that finds itself declared dead stops at once: the others have taken its grains over.
/// </summary>
internal sealed class ClusterMembershipService(
    IMembershipTable table,
    ISiloEndpoint endpoint,
    IOptions<ClusterMembershipOptions> options,
    TimeProvider time,
    IServiceProvider services,
    ILogger<ClusterMembershipService> logger) : ISiloLifecycleParticipant, IDisposable
{
    private readonly ClusterMembershipOptions _options = options.Value;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private ITimer? _timer;
    private SiloStatus _status = SiloStatus.None;
    private DateTimeOffset _startedAt;
    private DateTimeOffset _lastHeartbeat;
    private bool _declaredDead;

    public int Stage => SiloLifecycleStage.Membership;

    public SiloAddress LocalAddress { get; private set; }

    public ClusterView CurrentView { get; private set; } = ClusterView.Empty;

    private IEnumerable<IClusterViewListener> Listeners => services.GetServices<IClusterViewListener>();

    private int ActivationCount => services.GetRequiredService<GrainCatalog>().Count;

    public async Task OnStartAsync(CancellationToken cancellationToken)
    {
        LocalAddress = endpoint.Address;
        _startedAt = time.GetUtcNow();
        _status = SiloStatus.Joining;
        var row = new MembershipEntry(LocalAddress, SiloStatus.Joining, Environment.MachineName, _startedAt, _startedAt, 0);
        if (!await table.InsertRowAsync(row, cancellationToken))
            throw new InvalidOperationException($"The membership table has a row for {LocalAddress} already; a silo's generation must be new at every start.");
        _lastHeartbeat = _startedAt;
        await DeclareEarlierStartsDeadAsync(cancellationToken);
        await RefreshAsync(cancellationToken);
        _timer = time.CreateTimer(static state => _ = ((ClusterMembershipService)state!).OnTimerAsync(), this, _options.RefreshPeriod, _options.RefreshPeriod);
        logger.LogInformation("Silo {Silo} joined the membership table", LocalAddress);
    }

    /// <summary>The silo serves requests: other silos may place grains on it.</summary>
    public Task AnnounceActiveAsync(CancellationToken cancellationToken) => ChangeStatusAsync(SiloStatus.Active, cancellationToken);

    /// <summary>The silo is stopping: others stop placing grains on it, and it hands its grains and reminders over.</summary>
    public Task AnnounceShuttingDownAsync(CancellationToken cancellationToken) => ChangeStatusAsync(SiloStatus.ShuttingDown, cancellationToken);

    public async Task OnStopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            _status = SiloStatus.Dead;
            if (!_declaredDead) await table.UpdateRowAsync(LocalAddress, SiloStatus.Dead, time.GetUtcNow(), 0, cancellationToken);
        }
        finally
        {
            _refreshing.Release();
        }
        logger.LogInformation("Silo {Silo} left the membership table", LocalAddress);
    }

    public void Dispose()
    {
        _timer?.Dispose();
    }

    /// <summary>Writes a heartbeat if one is due, reads the table, and acts on what changed. Runs one at a time.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            if (_declaredDead || _status == SiloStatus.Dead) return;
            var now = time.GetUtcNow();
            if (now - _lastHeartbeat >= _options.IAmAlivePeriod && !await HeartbeatAsync(now, cancellationToken)) return;

            var rows = await table.ReadAllAsync(cancellationToken);
            foreach (var row in rows)
            {
                if (row.Address == LocalAddress || row.Status == SiloStatus.Dead || !ClusterViewBuilder.IsSilent(row, now, _options.DeathTimeout)) continue;
                if (await table.DeclareDeadAsync(row.Address, now - _options.DeathTimeout, cancellationToken))
                    logger.LogWarning("Declared silo {Silo} dead: its last heartbeat was at {IAmAliveAt:O}", row.Address, row.IAmAliveAt);
            }
            var removed = await table.CleanupDefunctAsync(now - _options.DefunctSiloRetention, cancellationToken);
            if (removed > 0) logger.LogInformation("Removed {Count} rows of long-dead silos", removed);

            var members = ClusterViewBuilder.WithSilentSilosDead(rows, now, _options.DeathTimeout);
            // The silo's own row may lag behind what it announced; its own status is what it knows best.
            members = [.. members.Select(m => m.Address == LocalAddress ? m with { Status = _status } : m)];
            await PublishAsync(members);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>
    /// A silo restarted on the same host and port is proof that its earlier start is gone: declaring it dead now moves
    /// its grains and reminders at once instead of after the death timeout.
    /// </summary>
    private async Task DeclareEarlierStartsDeadAsync(CancellationToken cancellationToken)
    {
        foreach (var row in await table.ReadAllAsync(cancellationToken))
        {
            if (row.Status == SiloStatus.Dead || row.Address.Host != LocalAddress.Host || row.Address.Port != LocalAddress.Port
                || row.Address.Generation >= LocalAddress.Generation) continue;
            if (await table.DeclareDeadAsync(row.Address, DateTimeOffset.MaxValue, cancellationToken))
                logger.LogWarning("Declared {Silo} dead: {Local} was started on its host and port", row.Address, LocalAddress);
        }
    }

    private async Task ChangeStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            if (_declaredDead) return;
            _status = status;
            if (!await HeartbeatAsync(time.GetUtcNow(), cancellationToken)) return;
            logger.LogInformation("Silo {Silo} is {Status}", LocalAddress, status);
            await PublishAsync([.. CurrentView.Members.Where(m => m.Address != LocalAddress)
                .Append(new MembershipEntry(LocalAddress, status, Environment.MachineName, _startedAt, _lastHeartbeat, ActivationCount))
                .OrderBy(m => m.Address)]);
        }
        finally
        {
            _refreshing.Release();
        }
        await RefreshAsync(cancellationToken);
    }

    private async Task<bool> HeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await table.UpdateRowAsync(LocalAddress, _status, now, ActivationCount, cancellationToken))
        {
            _lastHeartbeat = now;
            return true;
        }
        _declaredDead = true;
        logger.LogCritical("Silo {Silo} was declared dead by the cluster; it stops now. Its grains and reminders have moved to live silos.", LocalAddress);
        services.GetRequiredService<Silo>().Kill();
        services.GetService<IHostApplicationLifetime>()?.StopApplication();
        return false;
    }

    private async Task PublishAsync(IReadOnlyList<MembershipEntry> members)
    {
        var previous = CurrentView;
        if (ClusterViewBuilder.SameMembers(previous.Members, members))
        {
            // Same placement; keep the newer heartbeats and activation counts for operators.
            CurrentView = new ClusterView(previous.Version, members);
            return;
        }
        var current = new ClusterView(previous.Version + 1, members);
        CurrentView = current;
        logger.LogInformation("Cluster view {Version}: {Silos}", current.Version, string.Join(", ", members.Select(m => $"{m.Address} {m.Status}")));
        foreach (var listener in Listeners)
        {
            try
            {
                await listener.OnViewChangedAsync(previous, current);
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "{Listener} failed to follow cluster view {Version}", listener.GetType().Name, current.Version);
            }
        }
    }

    private async Task OnTimerAsync()
    {
        try
        {
            await RefreshAsync();
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Reading the membership table failed; trying again in {Period}", _options.RefreshPeriod);
        }
    }
}
