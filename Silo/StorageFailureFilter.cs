using System.Data.Common;
using AdWallet.Grains;
using Microsoft.Extensions.Logging;
using Orleans;

namespace AdWallet.Silo;

/// <summary>
/// Database drivers' exceptions (Npgsql's, SQLite's) cannot cross grain boundaries: Orleans has no codec for them, and
/// the caller would get a serialization failure instead. A grain call that fails with one fails with
/// <see cref="StorageUnavailableException"/> instead, which the API answers with 503.
/// </summary>
internal sealed partial class StorageFailureFilter(ILogger<StorageFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (FindDatabaseFailure(exception) is { } failure)
        {
            LogStorageFailure(logger, exception, context.TargetId.ToString(), context.InterfaceMethod?.Name ?? "?");
            throw new StorageUnavailableException($"The database did not serve the call: {failure.Message}");
        }
    }

    private static DbException? FindDatabaseFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException database) return database;
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A call to {GrainId}.{Method} failed in the database")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception, string grainId, string method);
}
