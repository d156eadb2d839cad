using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace AdWallet.GatewaySimulator.Tests;

public sealed class LookupTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_unknown_order_id_finds_no_payments()
    {
        await using var simulator = await TestSimulator.StartAsync();

        Assert.Empty(await simulator.ByOrderAsync("nobody"));
    }

    [Fact]
    public async Task Approval_times_come_from_the_injected_clock()
    {
        var clock = new FakeTimeProvider(Start);
        await using var simulator = await TestSimulator.StartAsync(customize: s => s with { TimeProvider = clock });

        var payment = await simulator.PayAsync(TestSimulator.Card("o-1"));

        Assert.Equal(Start, payment.GetProperty("approvedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_listing_pages_in_capture_order_by_prefix_and_time_range()
    {
        var clock = new FakeTimeProvider(Start);
        await using var simulator = await TestSimulator.StartAsync(customize: s => s with { TimeProvider = clock });
        // a/0 .. a/4 an hour apart, with b/ payments between them.
        for (var i = 0; i < 5; i++)
        {
            await simulator.PayAsync(TestSimulator.Card($"a/{i}"));
            await simulator.PayAsync(TestSimulator.Card($"b/{i}"));
            clock.Advance(TimeSpan.FromHours(1));
        }

        var pages = new List<string[]>();
        string? after = null;
        do
        {
            var page = await ListAsync($"orderIdPrefix=a/&limit=2{(after is null ? "" : $"&after={after}")}");
            pages.Add(OrderIds(page));
            after = page.GetProperty("next").GetString();
        }
        while (after is not null);
        Assert.Equal([["a/0", "a/1"], ["a/2", "a/3"], ["a/4"]], pages);

        var from = Uri.EscapeDataString(Start.AddHours(1).ToString("O"));
        var to = Uri.EscapeDataString(Start.AddHours(3).ToString("O"));
        Assert.Equal(["a/1", "b/1", "a/2", "b/2"], OrderIds(await ListAsync($"from={from}&to={to}")));
        Assert.Equal(["a/1", "a/2"], OrderIds(await ListAsync($"orderIdPrefix=a/&from={from}&to={to}")));
        Assert.Equal(10, OrderIds(await ListAsync("")).Length);

        async Task<JsonElement> ListAsync(string query) => await TestSimulator.OkAsync(await simulator.Client.GetAsync($"/v1/payments?{query}"));
    }

    private static string[] OrderIds(JsonElement page) =>
        [.. page.GetProperty("payments").EnumerateArray().Select(p => p.GetProperty("orderId").GetString()!)];
}
