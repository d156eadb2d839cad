namespace AdWallet.GatewaySimulator.Tests;

public sealed class LoggingTests
{
    [Fact]
    public async Task No_log_line_carries_a_card_number()
    {
        await using var simulator = await TestSimulator.StartAsync();
        foreach (var (number, i) in TestCards.All.Select((number, i) => (number, i)))
        {
            await simulator.PostAsync("/v1/billing-keys", new { cardNumber = number, expiry = "12/29" });
            await simulator.PostAsync("/v1/payments", TestSimulator.Card($"o-{i}", 1000, number));
        }
        await simulator.PostRawAsync("/v1/billing-keys", """{ "cardNumber": 4242424242424242 }""");

        Assert.Contains(simulator.Logs.Lines, line => line.Contains("ending 4242", StringComparison.Ordinal));
        foreach (var number in TestCards.All)
            Assert.DoesNotContain(simulator.Logs.Lines, line => line.Contains(number, StringComparison.Ordinal));
    }
}
