using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AdWallet.Persistence.PostgreSql;

/// <summary>
/// The cluster's PostgreSQL database as one process shares it. Starting it applies the schema
/// (<see cref="PostgreSqlSchema"/>, safe when several processes start at once) and starts the single writer that
/// commits the writes of every grain in batches (<see cref="PostgreSqlBatchWriter"/>, group commit); reads use pooled
/// connections. In a silo, <see cref="PostgreSqlSiloLifecycle"/> starts it before Orleans' membership reads its table
/// and stops it after the grains have been deactivated.
/// </summary>
public sealed partial class PostgreSqlDatabase : IAsyncDisposable
{
    /// <summary>The <c>Max Auto Prepare</c> used when the connection string does not set one.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    private const int NotStarted = 0;
    private const int Starting = 1;
    private const int Running = 2;
    private const int Stopped = 3;

    private readonly PostgreSqlStorageOptions _options;
    private readonly ILogger<PostgreSqlDatabase> _logger;
    private int _state;
    private NpgsqlDataSource? _dataSource;
    private PostgreSqlBatchWriter? _writer;

    public PostgreSqlDatabase(IOptions<PostgreSqlStorageOptions> options, ILogger<PostgreSqlDatabase> logger)
    {
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The data source, while the database runs.</summary>
    internal NpgsqlDataSource DataSource => Volatile.Read(ref _state) == Running ? _dataSource! : throw NotRunning();

    /// <summary>Applies the schema, connects and starts the writer.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, Starting, NotStarted) != NotStarted)
            throw new InvalidOperationException("The PostgreSQL database was already started.");

        try
        {
            var applied = await PostgreSqlSchema.ApplyAsync(_options, cancellationToken).ConfigureAwait(false);
            foreach (var script in applied) LogScriptApplied(_logger, script.Name);

            _dataSource = CreateDataSource();
            var writerConnection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            _writer = new PostgreSqlBatchWriter(_dataSource, writerConnection, _options.MaxBatchSize, _logger);
            Volatile.Write(ref _state, Running);
            var describe = new NpgsqlConnectionStringBuilder(_options.ConnectionString);
            LogOpened(_logger, describe.Database ?? "", describe.Host ?? "", _options.Schema ?? "(search path)");
        }
        catch
        {
            if (_dataSource is not null) await _dataSource.DisposeAsync().ConfigureAwait(false);
            Volatile.Write(ref _state, Stopped);
            throw;
        }
    }

    /// <summary>Stops accepting writes, commits those already queued and closes the connections.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, Stopped, Running) != Running)
        {
            Interlocked.CompareExchange(ref _state, Stopped, NotStarted);
            return;
        }
        var dataSource = _dataSource!;
        var writer = _writer!.CompleteAsync();
        try
        {
            await writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The writer's connection comes from the data source: it is disposed once the writer has finished.
            if (writer.IsCompleted)
                await dataSource.DisposeAsync().ConfigureAwait(false);
            else
                _ = writer.ContinueWith(_ => dataSource.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
        LogClosed(_logger);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    /// <summary>
    /// Queues <paramref name="execute"/> for the writer. The task completes after the transaction that ran it has
    /// committed, or fails: with the operation's own exception (only its savepoint was rolled back), or with the
    /// reason the whole transaction failed. A write canceled before the writer took it was never run.
    /// </summary>
    /// <param name="lockKey">The table and key of the one row the operation locks (see <see cref="PostgreSqlWriteOperation.LockKey"/>).</param>
    /// <remarks>A batch whose COMMIT was sent but whose connection broke before the answer may have committed: its writes fail all the same.</remarks>
    internal Task<TResult> WriteAsync<TResult>(string? lockKey, Func<PostgreSqlWriteSession, Task<TResult>> execute, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<TResult>(cancellationToken);
        var operation = new PostgreSqlWriteOperation<TResult>(lockKey, execute, cancellationToken);
        if (Volatile.Read(ref _state) != Running || !_writer!.TryEnqueue(operation))
            operation.Reject(NotRunning());
        return operation.Task;
    }

    /// <summary>A command on a pooled connection, opened when the command runs and returned to the pool when its reader is disposed.</summary>
    internal NpgsqlCommand CreateReadCommand(string sql) => DataSource.CreateCommand(sql);

    /// <summary>Server-side limits of every session: see <see cref="CreateDataSource"/>.</summary>
    internal const string SessionLimits = "-c idle_in_transaction_session_timeout=5000 -c lock_timeout=5000";

    private NpgsqlDataSource CreateDataSource()
    {
        var connectionString = _options.EffectiveConnectionString();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var connection = builder.ConnectionStringBuilder;
        if (string.IsNullOrEmpty(connection.ApplicationName)) connection.ApplicationName = "adwallet";
        // The hot statements are few and fixed: preparing them automatically saves parsing and planning per call.
        if (!SetsAutoPrepare(connectionString)) connection.MaxAutoPrepare = DefaultMaxAutoPrepare;
        // A silo frozen in the middle of a batch (a paused process, a stalled machine) keeps its transaction open, and
        // with it the locks on the rows of the grains it was writing: the survivors that take those grains over would
        // wait on them, and behind them every write of their single writer, until it woke. The server ends such an
        // idle transaction after a few seconds (so the frozen silo can never commit it), and no statement waits
        // longer than that for a lock: the write fails, its activation goes, and the caller's retry finds the row free.
        if (string.IsNullOrEmpty(connection.Options)) connection.Options = SessionLimits;
        return builder.Build();
    }

    private static bool SetsAutoPrepare(string connectionString)
    {
        var keys = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys;
        return keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
    }

    private InvalidOperationException NotRunning() => Volatile.Read(ref _state) switch
    {
        NotStarted or Starting => new InvalidOperationException("The PostgreSQL database has not been started."),
        _ => new InvalidOperationException("The PostgreSQL database has been stopped."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied the PostgreSQL schema script {Script}.")]
    private static partial void LogScriptApplied(ILogger logger, string script);

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened the PostgreSQL database {Database} on {Host} (schema {Schema}).")]
    private static partial void LogOpened(ILogger logger, string database, string host, string schema);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed the PostgreSQL database.")]
    private static partial void LogClosed(ILogger logger);
}
