using Orleans;
using Orleans.Runtime;

namespace AdWallet.Persistence.PostgreSql;

/// <summary>
/// Starts the silo's <see cref="PostgreSqlDatabase"/> (schema, then the writer) just before
/// <see cref="ServiceLifecycleStage.RuntimeInitialize"/>, where Orleans' membership initializes its table: Orleans'
/// ADO.NET providers read their queries from tables the schema creates, so it must exist before any of them runs.
/// Stopping runs in reverse order, so the writer commits its last writes after the grains have been deactivated.
/// </summary>
internal sealed class PostgreSqlSiloLifecycle(PostgreSqlDatabase database) : ILifecycleParticipant<ISiloLifecycle>
{
    public const int Stage = ServiceLifecycleStage.RuntimeInitialize - 1;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgreSqlDatabase), Stage, database.StartAsync, database.StopAsync);
}
