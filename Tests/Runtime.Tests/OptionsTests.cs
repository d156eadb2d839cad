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

    [Theory]
    [InlineData("Membership:IAmAlivePeriod", "00:00:00")]
    [InlineData("Membership:RefreshPeriod", "-00:00:01")]
    [InlineData("Membership:DeathTimeout", "00:00:03")]
    [InlineData("Membership:DefunctSiloRetention", "00:00:05")]
    [InlineData("Reminders:RefreshPeriod", "00:00:00")]
    [InlineData("Silo:Port", "70000")]
    [InlineData("Silo:AdvertisedHost", " ")]
    public async Task An_invalid_cluster_option_stops_a_cluster_silo_from_starting(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => Clusters.StartAsync(new Probe(), b =>
        {
            b.UseClustering = true;
            b.UseTcpTransport = true;
            b.Configure(key, value);
        }));

        Assert.Contains(key, error.Message);
    }
}
