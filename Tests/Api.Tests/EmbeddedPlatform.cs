using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

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
    {
        _signingKey = signingKey;
        _issuer = issuer;
        _ownsDataPath = dataPath is null;
        _settings = settings;
        DataPath = dataPath ?? NewDataPath();
    }

    public string DataPath { get; }

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
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
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
