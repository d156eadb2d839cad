using Microsoft.Extensions.Options;

namespace Granary.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("Reminders:MinimumPeriod", "-00:00:01")]
    [InlineData("Messaging:ResponseTimeout", "00:00:00")]
    [InlineData("GrainCollection:CollectionAge", "-00:01:00")]
    public async Task An_invalid_option_stops_the_silo_from_starting(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => Clusters.StartAsync(new Probe(), b => b.Configure(key, value)));

        Assert.Contains(key, error.Message);
    }
}
