using System.Collections.Concurrent;
using System.Net;

namespace AdWallet.Cluster.Tests;

/// <summary>
/// Charges with fresh idempotency keys on the given wallets, sent by <c>concurrency</c> clients until stopped, each
/// retried with its key until definite (<see cref="RetryingSender"/>). Records the answers in the <see cref="ChargeBook"/>
/// and anything the API should not have said in <see cref="Unexpected"/>.
/// </summary>
public sealed class ChargeLoad(RetryingSender sender, ChargeBook charges, IReadOnlyList<Advertiser> wallets, string run)
{
    private readonly CancellationTokenSource _stop = new();
    private int _sent;
    private int _answered;

    public ConcurrentQueue<string> Unexpected { get; } = new();

    /// <summary>Keys whose charge had an attempt with no definite answer (no answer, a timeout, a 5xx) before its definite one.</summary>
    public ConcurrentQueue<string> RetriedKeys { get; } = new();

    public int Answered => Volatile.Read(ref _answered);

    public Task RunAsync(int concurrency) => Task.WhenAll(Enumerable.Range(0, concurrency).Select(ClientAsync));

    public void Stop() => _stop.Cancel();

    private async Task ClientAsync(int client)
    {
        var random = new Random(client);
        while (!_stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _sent);
            var owner = wallets[random.Next(wallets.Count)];
            var key = $"{run}-load-{n}";
            var amount = 1_000L * random.Next(1, 51);
            var payment = n % 3 == 0 ? $"\"method\": \"card\", \"cardNumber\": \"{MixedLoad.SucceedingCard}\"" : "\"method\": \"pay_money\"";
            try
            {
                var answer = await sender.SendAsync(owner.Client, HttpMethod.Post, $"/v1/wallets/{owner.WalletId}/charges",
                    $$"""{ "amount": {{amount}}, {{payment}}, "termsAccepted": true }""", key, status => status != HttpStatusCode.Accepted);
                if (answer.Status != HttpStatusCode.Created || answer.Json.Text("status") != "succeeded" || answer.Json.Number("amount") != amount)
                    Unexpected.Enqueue($"charge: {answer}");
                else
                    charges.Acknowledge(owner.WalletId, key, answer.Json.Text("id"), amount);
                if (answer.Attempts > 1) RetriedKeys.Enqueue(key);
            }
            catch (Exception exception)
            {
                Unexpected.Enqueue($"charge {key}: {exception.GetType().Name}: {exception.Message}");
            }
            Interlocked.Increment(ref _answered);
        }
    }
}
