using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace AdWallet.Cluster.Tests;

/// <summary>
/// Sends a request again, identical (same Idempotency-Key, same body), until the answer is definite: on 5xx, 408, 429,
/// a refused or dropped connection, or a timeout, within a bound. Every failed attempt is recorded, for the report and
/// for the check that the API never answered 500 (a 503 is the API's "try again" during a failover; a 500 is a bug).
/// </summary>
public sealed class RetryingSender(TimeSpan bound)
{
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(150);

    public ConcurrentQueue<FailedAttempt> Failures { get; } = new();

    /// <param name="isDefinite">Whether a non-failure answer is final; a charge answered 202 (pending) is asked again.</param>
    public async Task<Answer> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null, string? idempotencyKey = null,
        Func<HttpStatusCode, bool>? isDefinite = null)
    {
        var request = $"{method} {path}{(idempotencyKey is null ? "" : $" [{idempotencyKey}]")}";
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            try
            {
                using var message = new HttpRequestMessage(method, path);
                if (json is not null) message.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
                if (idempotencyKey is not null) message.Headers.Add("Idempotency-Key", idempotencyKey);
                using var response = await client.SendAsync(message);
                var body = await response.Content.ReadAsStringAsync();
                var status = response.StatusCode;
                var transient = (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
                if (!transient && (isDefinite?.Invoke(status) ?? true))
                    return new Answer(request, status, body, response.Headers.Contains("Idempotent-Replayed"), attempt, clock.Elapsed);
                failure = $"{(int)status} {body}";
                Failures.Enqueue(new FailedAttempt(DateTimeOffset.UtcNow, request, (int)status, failure));
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                failure = $"{exception.GetType().Name}: {exception.Message}";
                Failures.Enqueue(new FailedAttempt(DateTimeOffset.UtcNow, request, null, failure));
            }
            if (clock.Elapsed > bound)
                throw new TimeoutException($"{request}: no definite answer after {attempt} attempts in {clock.Elapsed.TotalSeconds:0.0} s; last: {failure}");
            await Task.Delay(Backoff);
        }
    }
}

/// <param name="Status">The HTTP status, or null when no answer came (connection refused or dropped, timeout).</param>
public sealed record FailedAttempt(DateTimeOffset At, string Request, int? Status, string Failure);
