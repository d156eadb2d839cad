using Microsoft.Extensions.Options;

namespace AdWallet.Grains.Tests;

public sealed class AdvertisingOptionsTests
{
    [Theory]
    [InlineData("Billing:SettlementInterval", "00:00:00")]
    [InlineData("Billing:SettlementThreshold", "0")]
    [InlineData("CreationGuard:Window", "-00:01:00")]
    [InlineData("CreationGuard:MaxCreations", "0")]
    public async Task An_invalid_billing_or_creation_guard_option_stops_the_silo_from_starting(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => Platform.StartAsync(builder => builder.Configure(key, value)));

        Assert.Contains(key, error.Message);
    }
}
