using System.Net;

namespace AdWallet.Api.Tests;

/// <summary>One platform for the class: none of these tests needs a silo of its own.</summary>
public sealed class HealthTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task The_platform_answers_anonymous_operational_endpoints(string path)
    {
        using var client = platform.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_embedded_silo_keeps_its_database_in_the_data_folder()
    {
        using var client = platform.CreateClient();

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(Path.Combine(platform.DataPath, AdWallet.Persistence.Sqlite.SqliteStorageOptions.DefaultFileName)));
    }

    [Fact]
    public async Task The_operator_sees_one_active_silo_with_its_activations()
    {
        using var user = platform.CreateClientFor($"u_{Guid.NewGuid():N}");
        using var ops = platform.CreateClientFor("cluster_operator", isOperator: true);
        // Some calls, so that grains are active.
        var walletId = await user.CreateBusinessWallet();
        await user.ChargeOk(walletId, 10_000);

        var cluster = await ops.GetOk("/v1/ops/cluster");

        Assert.Equal(["silos"], cluster.EnumerateObject().Select(p => p.Name));
        var silo = Assert.Single(cluster.GetProperty("silos").EnumerateArray());
        Assert.Equal(["activations", "address", "id", "status"], silo.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("active", silo.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(silo.GetProperty("id").GetString()));
        Assert.False(string.IsNullOrEmpty(silo.GetProperty("address").GetString()));
        Assert.True(silo.GetProperty("activations").GetInt32() > 0, $"Expected activations after some calls: {silo}");
    }
}
