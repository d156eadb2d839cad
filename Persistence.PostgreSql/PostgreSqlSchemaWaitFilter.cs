using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans;

namespace AdWallet.Persistence.PostgreSql;

/// <summary>
/// Lets a client that starts before any silo wait for the schema instead of failing its start. A client never changes
/// the schema; Orleans' ADO.NET gateway list provider reads its queries from a table the first silo creates, and on a
/// fresh database it fails with "relation does not exist" (42P01). Orleans already waits, retrying, while the table
/// lists no gateway; this filter makes the missing schema the same: tried again every second, for at most
/// <see cref="PostgreSqlSchema.Timeout"/>. Any other failure is <paramref name="inner"/>'s to judge.
/// </summary>
internal sealed class PostgreSqlSchemaWaitFilter(ILogger<PostgreSqlSchemaWaitFilter> logger, TimeProvider time, IClientConnectionRetryFilter? inner)
    : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private long? _firstFailure;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (!IsMissingSchema(exception)) return inner is not null && await inner.ShouldRetryConnectionAttempt(exception, cancellationToken).ConfigureAwait(false);
        _firstFailure ??= time.GetTimestamp();
        var waited = time.GetElapsedTime(_firstFailure.Value);
        if (waited > PostgreSqlSchema.Timeout) return false;
        logger.LogInformation("The cluster database has no schema yet ({Message}): waiting for a silo to apply it ({Waited:0} s so far).",
            exception.Message, waited.TotalSeconds);
        await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static bool IsMissingSchema(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable }) return true;
            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Any(IsMissingSchema)) return true;
        }
        return false;
    }
}
