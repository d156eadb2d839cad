using System.Net.Http.Headers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AdWallet.Api.Tests;

/// <summary>
/// The embedded gateway simulator logs through the API's own logging: its lines reach the host's providers under the
/// host's filters (Logging:LogLevel), so that a host that quiets ASP.NET Core's per-request lines quiets the
/// simulator's too, and the simulator's own lines can be raised or lowered by category like any other.
/// </summary>
public sealed class EmbeddedGatewayLoggingTests
{
    [Fact]
    public async Task The_simulators_lines_reach_the_hosts_providers_under_the_hosts_filters()
    {
        var lines = new ConcurrentQueue<(string Category, LogLevel Level, string Message)>();
        await using var platform = EmbeddedPlatform.WithSettings(
            ("Logging:LogLevel:Default", "Warning"),
            ("Logging:LogLevel:AdWallet.GatewaySimulator.Payments", "Information"));
        await using var recorded = platform.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(new Recorder(lines))));
        using var client = recorded.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For($"u_{Guid.NewGuid():N}", isOperator: false));
        var walletId = await client.CreateBusinessWallet();

        await client.ChargeOk(walletId, 10_000);

        // The capture's own line, let through by its category's filter, reached the host's provider...
        Assert.Contains(lines, line => line.Category.StartsWith("AdWallet.GatewaySimulator.Payments", StringComparison.Ordinal)
                                        && line.Level == LogLevel.Information && line.Message.Contains("Captured payment", StringComparison.Ordinal));
        // ...and nothing below Warning from anything else: not the simulator's ASP.NET Core lines for each request.
        Assert.DoesNotContain(lines, line => line.Level < LogLevel.Warning
                                             && !line.Category.StartsWith("AdWallet.GatewaySimulator.Payments", StringComparison.Ordinal));
    }

    private sealed class Recorder(ConcurrentQueue<(string, LogLevel, string)> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
