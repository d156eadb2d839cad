using System.Data.Common;
using Granary.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Granary.PostgreSql;

/// <summary>
/// The cluster's PostgreSQL database as the PostgreSQL providers of one silo share it. Starting it creates or migrates
/// the schema (<see cref="PostgreSqlSchema"/>, safe when several silos start at once); writes go through one writer
/// that commits them in batches (<see cref="PostgreSqlBatchWriter"/>); reads use pooled connections.
/// </summary>
public sealed partial class PostgreSqlDatabase : ISiloLifecycleParticipant, IAsyncDisposable, IDisposable
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
        Schema = _options.Schema;
    }

    /// <summary>The schema that holds the tables.</summary>
    public string Schema { get; }

    public int Stage => SiloLifecycleStage.RuntimeStorage;

    /// <summary>The data source, while the database runs. Its connections have the schema as their search path.</summary>
    internal NpgsqlDataSource DataSource => Volatile.Read(ref _state) == Running ? _dataSource! : throw NotRunning();

    /// <summary>Connects, creates or migrates the schema and starts the writer.</summary>
    public async Task OnStartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Starting, NotStarted) != NotStarted)
            throw new InvalidOperationException($"The PostgreSQL database (schema {Schema}) was already started.");

        try
        {
            _dataSource = CreateDataSource();
            var describe = new NpgsqlConnectionStringBuilder(_options.ConnectionString);
            IReadOnlyList<PostgreSqlSchema.Migration> applied;
            await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
                applied = await PostgreSqlSchema.ApplyAsync(connection, Schema, cancellationToken).ConfigureAwait(false);
            foreach (var migration in applied) LogMigrated(_logger, Schema, migration.Name);

            var writerConnection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            _writer = new PostgreSqlBatchWriter(_dataSource, writerConnection, _options.MaxBatchSize, _logger);
            Volatile.Write(ref _state, Running);
            LogOpened(_logger, describe.Host ?? "", describe.Database ?? "", Schema);
        }
        catch
        {
            if (_dataSource is not null) await _dataSource.DisposeAsync().ConfigureAwait(false);
            Volatile.Write(ref _state, Stopped);
            throw;
        }
    }

    /// <summary>
    /// Opens the database for a process that is not a silo, such as a cluster client that reads the membership table:
    /// its pooled connections are usable at once, the schema is neither created nor migrated (silos do that), and there
    /// is no writer, so <see cref="WriteAsync{TResult}(Func{PostgreSqlWriteSession, Task{TResult}}, CancellationToken)"/>
    /// fails. Reads before a silo has created the schema fail as the providers say. Close it with <see cref="OnStopAsync"/>.
    /// </summary>
    public void OpenWithoutMigrating()
    {
        if (Interlocked.CompareExchange(ref _state, Starting, NotStarted) != NotStarted)
            throw new InvalidOperationException($"The PostgreSQL database (schema {Schema}) was already started.");
        _dataSource = CreateDataSource();
        Volatile.Write(ref _state, Running);
    }

    /// <summary>Stops accepting writes, commits those already queued and closes the connections.</summary>
    public async Task OnStopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Stopped, Running) != Running) return;
        var dataSource = _dataSource!;
        if (_writer is null)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            LogClosed(_logger, Schema);
            return;
        }
        var writer = _writer.CompleteAsync();
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
        LogClosed(_logger, Schema);
    }

    public async ValueTask DisposeAsync() => await OnStopAsync(CancellationToken.None).ConfigureAwait(false);

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Queues <paramref name="execute"/> for the writer. The task completes after the transaction that ran it has
    /// committed, or fails: with the operation's own exception (only its savepoint was rolled back), or with the
    /// reason the whole transaction failed. A write canceled before the writer took it was never run.
    /// </summary>
    /// <remarks>A batch whose COMMIT was sent but whose connection broke before the answer may have committed: its writes fail all the same.</remarks>
    internal Task<TResult> WriteAsync<TResult>(Func<PostgreSqlWriteSession, Task<TResult>> execute, CancellationToken cancellationToken) =>
        WriteAsync(lockKey: null, execute, cancellationToken);

    /// <inheritdoc cref="WriteAsync{TResult}(Func{PostgreSqlWriteSession, Task{TResult}}, CancellationToken)"/>
    /// <param name="lockKey">The table and key of the one row the operation locks (see <see cref="PostgreSqlWriteOperation.LockKey"/>).</param>
    internal Task<TResult> WriteAsync<TResult>(string? lockKey, Func<PostgreSqlWriteSession, Task<TResult>> execute, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<TResult>(cancellationToken);
        var operation = new PostgreSqlWriteOperation<TResult>(lockKey, execute, cancellationToken);
        if (Volatile.Read(ref _state) != Running)
            operation.Reject(NotRunning());
        else if (_writer is null)
            operation.Reject(new InvalidOperationException($"The PostgreSQL database (schema {Schema}) was opened without migrating, for reading: it has no writer."));
        else if (!_writer.TryEnqueue(operation))
            operation.Reject(NotRunning());
        return operation.Task;
    }

    /// <summary>A command on a pooled connection, opened when the command runs and returned to the pool when its reader is disposed.</summary>
    internal NpgsqlCommand CreateReadCommand(string sql) => DataSource.CreateCommand(sql);

    /// <summary>
    /// A command on a pooled connection, outside the writer: a single statement, committed on its own when it runs.
    /// For small writes that must not wait for the writer's batches.
    /// </summary>
    internal NpgsqlCommand CreateCommand(string sql) => DataSource.CreateCommand(sql);

    private NpgsqlDataSource CreateDataSource()
    {
        var builder = new NpgsqlDataSourceBuilder(_options.ConnectionString);
        var connection = builder.ConnectionStringBuilder;
        connection.SearchPath = PostgreSqlSchema.QuoteIdentifier(Schema);
        if (string.IsNullOrEmpty(connection.ApplicationName)) connection.ApplicationName = "granary";
        if (!SetsAutoPrepare(_options.ConnectionString!)) connection.MaxAutoPrepare = DefaultMaxAutoPrepare;
        return builder.Build();
    }

    private static bool SetsAutoPrepare(string connectionString)
    {
        var keys = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys;
        return keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
    }

    private InvalidOperationException NotRunning() => Volatile.Read(ref _state) switch
    {
        NotStarted or Starting => new InvalidOperationException($"The PostgreSQL database (schema {Schema}) has not been started."),
        _ => new InvalidOperationException($"The PostgreSQL database (schema {Schema}) has been stopped."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Migration} to the PostgreSQL schema {Schema}.")]
    private static partial void LogMigrated(ILogger logger, string schema, string migration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened the PostgreSQL database {Database} on {Host} (schema {Schema}).")]
    private static partial void LogOpened(ILogger logger, string host, string database, string schema);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed the PostgreSQL database (schema {Schema}).")]
    private static partial void LogClosed(ILogger logger, string schema);
}
