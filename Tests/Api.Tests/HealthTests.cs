using System.Net;

namespace AdWallet.Api.Tests;

public sealed class HealthTests
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task The_platform_answers_anonymous_operational_endpoints(string path)
    {
        await using var platform = new EmbeddedPlatform();
        using var client = platform.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_embedded_silo_keeps_its_database_in_the_data_folder()
    {
        await using var platform = new EmbeddedPlatform();
        using var client = platform.CreateClient();

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(Path.Combine(platform.DataPath, "granary.db")));
    }
}
