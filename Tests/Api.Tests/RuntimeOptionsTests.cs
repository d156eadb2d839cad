using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace AdWallet.Api.Tests;

/// <summary>The sections of Orleans' own options reach Orleans, and a value the dashboard cannot run with stops the start.</summary>
public sealed class RuntimeOptionsTests
{
    [Fact]
    public async Task The_dashboard_and_grain_directory_sections_set_orleans_own_options()
    {
        await using var platform = EmbeddedPlatform.WithSettings(
            ("Dashboard:CounterUpdateIntervalMs", "5000"),
            ("GrainDirectory:CacheSize", "1000"));
        using var client = platform.CreateClient();

        Assert.Equal(5_000, platform.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.CounterUpdateIntervalMs);
        Assert.Equal(1_000, platform.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CacheSize);
    }

    [Theory]
    [InlineData("Dashboard:CounterUpdateIntervalMs", "500")]
    [InlineData("Dashboard:HistoryLength", "0")]
    public async Task An_invalid_dashboard_option_stops_the_start_naming_its_key(string key, string value)
    {
        await using var platform = EmbeddedPlatform.WithSettings((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => platform.CreateClient());

        Assert.Contains(key, error.Message);
    }
}
