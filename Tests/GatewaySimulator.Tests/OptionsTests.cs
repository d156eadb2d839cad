using Microsoft.Extensions.Options;

namespace AdWallet.GatewaySimulator.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("Simulator:Webhooks:FirstRetryDelay", "00:00:00")]
    [InlineData("Simulator:Webhooks:MaxRetryDelay", "00:00:00.001")]
    [InlineData("Simulator:WebhookUrl", "not a url")]
    [InlineData("Simulator:SecretKey", "has:colon")]
    [InlineData("Simulator:FileName", "a/b.db")]
    public async Task An_invalid_value_stops_the_start_naming_its_key(string key, string value)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "gateway-sim-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var settings = new GatewaySimulatorSettings { DataPath = dataPath, Configuration = new Dictionary<string, string?> { [key] = value } };

            var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewaySimulatorServer.StartAsync(settings));

            Assert.Contains(key, failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dataPath))
                Directory.Delete(dataPath, recursive: true);
        }
    }
}
