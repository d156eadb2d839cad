using System.Collections.Concurrent;
using System.Net;

namespace AdWallet.Cluster.Tests;

/// <summary>
/// Charges on every wallet and participations of many users in the load campaigns, shuffled and sent by
/// <c>concurrency</c> clients at once, each retried until definite. Records every answer in the books, and anything
/// the API should not have said (or never said) in <see cref="Unexpected"/>.
/// </summary>
public sealed class MixedLoad(RetryingSender sender, ChargeBook charges, ParticipationBook participations)
{
    public const string SucceedingCard = "4242424242424242";
    public const string DecliningCard = "4000000000000002";

    private readonly List<Func<Task>> _operations = [];
    private readonly TaskCompletionSource _markReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _finished;
    private int _mark = int.MaxValue;

    public ConcurrentQueue<string> Unexpected { get; } = new();

    public ConcurrentQueue<OperationTiming> Timings { get; } = new();

    public int Count => _operations.Count;

    /// <summary>How many operations have their definite answer (or gave up).</summary>
    public int Finished => Volatile.Read(ref _finished);

    /// <summary>Completes once <see cref="Mark"/> operations have their definite answer.</summary>
    public Task MarkReached => _markReached.Task;

    public void Mark(int finishedOperations) => _mark = finishedOperations;

    /// <summary>Charges of 1,000 to 100,999 won: by card, by pay money, and every fifth by a card that is declined.</summary>
    public void AddCharges(Advertiser owner, string run, int count, Random random)
    {
        for (var n = 0; n < count; n++)
        {
            var key = $"{run}-w{owner.Index}-c{n}";
            var amount = 1_000L * random.Next(1, 101) + random.Next(0, 1_000);
            var payment = (n % 5) switch
            {
                4 => $"\"method\": \"card\", \"cardNumber\": \"{DecliningCard}\"",
                0 or 2 => $"\"method\": \"card\", \"cardNumber\": \"{SucceedingCard}\"",
                _ => "\"method\": \"pay_money\"",
            };
            var body = $$"""{ "amount": {{amount}}, {{payment}}, "termsAccepted": true }""";
            _operations.Add(() => ChargeAsync(owner, key, amount, body));
        }
    }

    public void AddParticipations(CampaignUnderTest campaign, int users)
    {
        for (var n = 0; n < users; n++)
        {
            var userId = $"fan-{campaign.Owner.Index}-{n}";
            var phone = Advertisers.KoreanPhone(campaign.Owner.Index * 1000 + n);
            _operations.Add(() => ParticipateAsync(campaign, userId, phone));
        }
    }

    public async Task RunAsync(int concurrency, Random random)
    {
        var operations = _operations.OrderBy(_ => random.Next()).ToArray();
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(operations.Select(async operation =>
        {
            await gate.WaitAsync();
            try
            {
                await operation();
            }
            finally
            {
                gate.Release();
                if (Interlocked.Increment(ref _finished) >= _mark) _markReached.TrySetResult();
            }
        }));
        _markReached.TrySetResult();
    }

    private async Task ChargeAsync(Advertiser owner, string key, long amount, string body)
    {
        // 202 is a pending charge: asked again (same key) until the gateway's answer is known.
        var answer = await SendAsync(owner.Client, $"/v1/wallets/{owner.WalletId}/charges", body, key, status => status != HttpStatusCode.Accepted);
        if (answer is null) return;
        var expectedStatus = answer.Status switch
        {
            HttpStatusCode.Created => "succeeded",
            HttpStatusCode.PaymentRequired => "failed",
            _ => null,
        };
        if (expectedStatus is null || answer.Json.Text("status") != expectedStatus || answer.Json.Number("amount") != amount)
        {
            Unexpected.Enqueue($"charge: {answer}");
            return;
        }
        if (answer.Status == HttpStatusCode.Created)
            charges.Acknowledge(owner.WalletId, key, answer.Json.Text("id"), amount);
        else
            charges.Decline(owner.WalletId, key, answer.Json.Text("id"), amount);
    }

    private async Task ParticipateAsync(CampaignUnderTest campaign, string userId, string phone)
    {
        var answer = await SendAsync(campaign.Owner.Client, $"/v1/campaigns/{campaign.Id}/participations",
            $$"""{ "userId": "{{userId}}", "phone": "{{phone}}" }""");
        if (answer is null) return;
        switch (answer.Status)
        {
            // 200: the same user again (a retry of an attempt that was accepted), answered as the first time.
            case HttpStatusCode.Created or HttpStatusCode.OK when answer.Json.GetProperty("accepted").GetBoolean():
                participations.Accept(campaign.Id, userId);
                break;
            case HttpStatusCode.Conflict when campaign.Role == CampaignRole.Exhaustible && answer.Code == "budget_exhausted":
                participations.Refuse(campaign.Id, userId, answer.Code!);
                break;
            default:
                Unexpected.Enqueue($"participation: {answer}");
                break;
        }
    }

    private async Task<Answer?> SendAsync(HttpClient client, string path, string body, string? key = null, Func<HttpStatusCode, bool>? isDefinite = null)
    {
        var started = DateTimeOffset.UtcNow;
        try
        {
            var answer = await sender.SendAsync(client, HttpMethod.Post, path, body, key, isDefinite);
            Timings.Enqueue(new OperationTiming(started, answer.Took, answer.Attempts));
            return answer;
        }
        catch (Exception exception)
        {
            Unexpected.Enqueue($"POST {path}: {exception.GetType().Name}: {exception.Message}");
            return null;
        }
    }
}

public sealed record OperationTiming(DateTimeOffset Started, TimeSpan Took, int Attempts);
