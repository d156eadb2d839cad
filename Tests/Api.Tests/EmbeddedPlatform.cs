using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Reminders;
using Orleans.Runtime;

namespace AdWallet.Api.Tests;

/// <summary>
/// The API with its embedded silo, on a SQLite file in a data folder of its own. Tokens are signed with
/// <see cref="TestTokens.SigningKey"/> unless a test asks for another key, or for none (the data-folder key).
/// </summary>
public sealed class EmbeddedPlatform : WebApplicationFactory<Program>
{
    private readonly string? _signingKey;
    private readonly string? _issuer;
    private readonly bool _ownsDataPath;
    private readonly (string Key, string Value)[] _settings;

    public EmbeddedPlatform() : this(TestTokens.SigningKey, issuer: null, dataPath: null)
    {
    }

    private EmbeddedPlatform(string? signingKey, string? issuer, string? dataPath, params (string Key, string Value)[] settings)
        : this(signingKey, issuer, dataPath, time: null, settings)
    {
    }

    private EmbeddedPlatform(string? signingKey, string? issuer, string? dataPath, FakeTimeProvider? time, params (string Key, string Value)[] settings)
    {
        _signingKey = signingKey;
        _issuer = issuer;
        _ownsDataPath = dataPath is null;
        _settings = settings;
        Time = time;
        DataPath = dataPath ?? NewDataPath();
    }

    public string DataPath { get; }

    /// <summary>The platform's clock when it runs on a manual one (<see cref="WithFakeTime"/>); null on the system clock.</summary>
    public FakeTimeProvider? Time { get; }

    /// <summary>
    /// A platform of its own on a manual clock that starts now and moves only when the test advances it: the unkeyed
    /// <see cref="TimeProvider"/> (what the grains and the API read as now), Orleans' grain timers
    /// (<see cref="TimeProviderNames.Grains"/>) and reminders (<see cref="ReminderTimeProviderNames.Reminders"/>).
    /// Orleans' membership and messaging keep the system clock.
    /// </summary>
    public static EmbeddedPlatform WithFakeTime(params (string Key, string Value)[] settings) =>
        new(TestTokens.SigningKey, issuer: null, dataPath: null, new FakeTimeProvider(DateTimeOffset.UtcNow), settings);

    /// <param name="signingKey">Auth:SigningKey; null leaves it unset, so that the key kept in the data folder is used.</param>
    /// <param name="dataPath">A data folder the caller owns and deletes; by default, a new one deleted with the platform.</param>
    public static EmbeddedPlatform With(string? signingKey, string? issuer = null, string? dataPath = null) => new(signingKey, issuer, dataPath);

    /// <summary>
    /// A platform on an existing data folder, signed with <paramref name="signingKey"/> (by default the tests' key): a
    /// restart of an earlier platform on that folder. The folder is the caller's: it is not deleted with the platform.
    /// </summary>
    public static EmbeddedPlatform OnDataPath(string dataPath, string signingKey = TestTokens.SigningKey) => new(signingKey, issuer: null, dataPath);

    /// <summary>
    /// A platform of its own with these configuration settings on top of the usual ones, e.g.
    /// <c>("CreationGuard:MaxCreations", "3")</c> or <c>("Billing:SettlementInterval", "00:00:00.200")</c>.
    /// </summary>
    public static EmbeddedPlatform WithSettings(params (string Key, string Value)[] settings) => new(TestTokens.SigningKey, issuer: null, dataPath: null, settings);

    public static string NewDataPath() => Path.Combine(Path.GetTempPath(), "adwallet-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A client whose requests carry a valid token for <paramref name="userId"/>.</summary>
    public HttpClient CreateClientFor(string userId, bool isOperator = false) => CreateClientWithToken(TestTokens.For(userId, isOperator));

    public HttpClient CreateClientWithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Data:Path", DataPath);
        // Empty, not absent: an Auth__SigningKey in the environment must not leak into a test of the data-folder key.
        builder.UseSetting("Auth:SigningKey", _signingKey ?? "");
        builder.UseSetting("Auth:Issuer", _issuer ?? "");
        // Orleans tells a lot at Information, per silo: the tests start many.
        builder.UseSetting("Logging:LogLevel:Orleans", "Warning");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (Time is { } time)
        {
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(time);
                services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, time);
                services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, time);
            });
        }
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            // Even when stopping fails: a failed test must not leave its data folder behind.
            if (_ownsDataPath && Directory.Exists(DataPath)) Directory.Delete(DataPath, recursive: true);
        }
    }
}
