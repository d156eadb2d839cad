using AdWallet.Benchmarks.Harness;
using AdWallet.Grains.Payments;
using AdWallet.Grains.Wallets;
using Microsoft.Extensions.DependencyInjection;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>
/// The payment gateway alone, as the wallets reach it: pay-money captures through the silo's own gateway client over
/// HTTP to the embedded simulator, no grain and no ledger. What one charge cannot do faster than, whatever the platform
/// does around it.
/// </summary>
internal sealed class GatewayCaptures : Scenario
{
    private IPaymentGateway _gateway = null!;
    private long _captured;

    public override string Name => "gateway-captures";

    public override string Measures =>
        "every worker captures 1,000 won by pay_money with a new order id through the silo's IPaymentGateway (the HTTP client with " +
        "its resilience pipeline) against the embedded gateway simulator (its own SQLite file, one write transaction per capture), " +
        "no grain and no ledger: the ceiling the gateway puts on charges. Afterwards the simulator must list every capture answered.";

    public override IReadOnlyList<int> Concurrency => [16, 256];

    public override void ConfigureSilo(ISiloBuilder silo, string dataFolder) =>
        silo.AddStartupTask((services, _) =>
        {
            _gateway = services.GetRequiredService<IPaymentGateway>();
            return Task.CompletedTask;
        });

    public override Task InitializeAsync(PointSetup point)
    {
        _captured = 0;
        return Task.CompletedTask;
    }

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var prefix = $"wal_gateway/w{worker}-";
        long next = 0;
        return async () =>
        {
            var reference = prefix + ++next;
            var result = await _gateway.CaptureAsync(new PaymentRequest(reference, HotWallet.Amount, PaymentMethods.PayMoney));
            if (!result.Succeeded) throw new InvalidOperationException($"Capture {reference} was declined: {result.DeclineCode}.");
            Interlocked.Increment(ref _captured);
        };
    }

    /// <summary>How many captures the gateway lists under order ids starting with <paramref name="prefix"/>.</summary>
    public static async Task<long> CountAsync(IPaymentGateway gateway, string prefix)
    {
        long listed = 0;
        string? after = null;
        while (true)
        {
            var page = await gateway.ListCapturesAsync(prefix, after, 1_000);
            listed += page.Count;
            if (page.Count < 1_000) return listed;
            after = page[^1].CaptureId;
        }
    }

    public override async Task<string?> VerifyAsync(LoadResult result)
    {
        var captured = Interlocked.Read(ref _captured);
        var listed = await CountAsync(_gateway, "wal_gateway/");
        var line = $"{captured:N0} captures answered (all time, warm-up included); the gateway lists {listed:N0}";
        if (listed != captured) throw new CheckFailedException(line);
        return line + ": ok";
    }
}
