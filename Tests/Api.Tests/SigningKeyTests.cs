using System.Net;
using AdWallet.Api.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AdWallet.Api.Tests;

public sealed class SigningKeyTests : IDisposable
{
    private readonly string _dataPath = EmbeddedPlatform.NewDataPath();

    [Fact]
    public void The_data_folder_key_is_created_once_and_reused()
    {
        var first = SigningKeyStore.LoadOrCreate(_dataPath);
        var path = Path.Combine(_dataPath, SigningKeyStore.FileName);
        var written = File.ReadAllText(path);

        var second = SigningKeyStore.LoadOrCreate(_dataPath);

        Assert.Equal(SigningKeyStore.GeneratedKeyBytes, first.Bytes.Length);
        Assert.Equal(first.Bytes, second.Bytes);
        Assert.Equal(written, File.ReadAllText(path));
        Assert.Equal(first.Bytes, Convert.FromBase64String(written.Trim()));
        Assert.Single(Directory.GetFiles(_dataPath));
    }

    [Fact]
    public void The_data_folder_key_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;

        SigningKeyStore.LoadOrCreate(_dataPath);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dataPath, SigningKeyStore.FileName)));
    }

    [Fact]
    public async Task Processes_starting_at_once_agree_on_one_key()
    {
        // Many rounds, each on a folder of its own, because one round rarely lands two creators in the same instant.
        for (var round = 0; round < 50; round++)
        {
            var folder = Path.Combine(_dataPath, $"round-{round}");
            using var start = new Barrier(8);
            var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return SigningKeyStore.LoadOrCreate(folder);
            })));

            Assert.All(keys, key => Assert.Equal(keys[0].Bytes, key.Bytes));
            Assert.Single(Directory.GetFiles(folder));
        }
    }

    [Fact]
    public void A_configured_key_wins_and_writes_nothing()
    {
        var key = SigningKeyStore.Resolve(Configuration(("Auth:SigningKey", TestTokens.SigningKey), ("Data:Path", _dataPath)));

        Assert.Equal(TestTokens.SigningKey, System.Text.Encoding.UTF8.GetString(key.Bytes));
        Assert.False(Directory.Exists(_dataPath));
    }

    [Fact]
    public void A_configured_key_shorter_than_32_bytes_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            SigningKeyStore.Resolve(Configuration(("Auth:SigningKey", "too-short"), ("Data:Path", _dataPath))));

        Assert.Contains("Auth:SigningKey", error.Message);
    }

    [Fact]
    public void A_damaged_key_file_is_refused_rather_than_replaced()
    {
        Directory.CreateDirectory(_dataPath);
        var path = Path.Combine(_dataPath, SigningKeyStore.FileName);
        File.WriteAllText(path, "not base64!");

        var error = Assert.Throws<InvalidOperationException>(() => SigningKeyStore.LoadOrCreate(_dataPath));

        Assert.Contains(path, error.Message);
        Assert.Equal("not base64!", File.ReadAllText(path));
    }

    [Fact]
    public async Task Without_a_configured_key_the_server_makes_one_at_start_and_keeps_it_across_restarts()
    {
        string token;
        await using (var platform = EmbeddedPlatform.With(signingKey: null, dataPath: _dataPath))
        {
            using var client = platform.CreateClient();
            Assert.True(File.Exists(Path.Combine(_dataPath, SigningKeyStore.FileName)));
            token = Issue(SigningKeyStore.LoadOrCreate(_dataPath), "alice");
            using var authenticated = platform.CreateClientWithToken(token);
            Assert.Equal(HttpStatusCode.OK, (await authenticated.GetAsync("/v1/me")).StatusCode);
        }

        await using (var restarted = EmbeddedPlatform.With(signingKey: null, dataPath: _dataPath))
        {
            using var client = restarted.CreateClientWithToken(token);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/me")).StatusCode);
        }
    }

    [Fact]
    public async Task A_token_from_the_token_command_is_accepted_by_the_server()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = TokenCommand.Run(["alice", $"--Data:Path={_dataPath}", "--Auth:SigningKey="], output, error);

        Assert.Equal(0, exitCode);
        await using var platform = EmbeddedPlatform.With(signingKey: null, dataPath: _dataPath);
        using var client = platform.CreateClientWithToken(output.ToString().Trim());
        using var response = await client.GetAsync("/v1/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"id\":\"alice\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_token_command_prints_one_valid_token_with_the_operator_role_when_asked()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = TokenCommand.Run(["ops_1", "--operator", "--days", "7", $"--Data:Path={_dataPath}", "--Auth:SigningKey="], output, error);

        Assert.Equal(0, exitCode);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var token = Assert.Single(lines).Trim();
        var key = SigningKeyStore.LoadOrCreate(_dataPath);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, TokenValidation.Parameters(key, issuer: null));
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("ops_1", result.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Equal("operator", result.ClaimsIdentity.FindFirst("role")?.Value);
        var expires = ((JsonWebToken)result.SecurityToken).ValidTo;
        Assert.InRange(expires, DateTime.UtcNow.AddDays(7).AddMinutes(-1), DateTime.UtcNow.AddDays(7).AddMinutes(1));
    }

    [Fact]
    public void The_token_command_uses_the_same_key_twice()
    {
        using var first = new StringWriter();
        using var second = new StringWriter();

        TokenCommand.Run(["alice", $"--Data:Path={_dataPath}", "--Auth:SigningKey="], first, TextWriter.Null);
        var written = File.ReadAllText(Path.Combine(_dataPath, SigningKeyStore.FileName));
        TokenCommand.Run(["bob", $"--Data:Path={_dataPath}", "--Auth:SigningKey="], second, TextWriter.Null);

        Assert.Equal(written, File.ReadAllText(Path.Combine(_dataPath, SigningKeyStore.FileName)));
    }

    [Fact]
    public void The_token_command_signs_with_a_configured_key_and_issuer()
    {
        using var output = new StringWriter();

        var exitCode = TokenCommand.Run(["alice", $"--Auth:SigningKey={TestTokens.SigningKey}", "--Auth:Issuer=https://adwallet.test", $"--Data:Path={_dataPath}"], output, TextWriter.Null);

        Assert.Equal(0, exitCode);
        var token = new JsonWebToken(output.ToString().Trim());
        Assert.Equal("https://adwallet.test", token.Issuer);
        Assert.False(Directory.Exists(_dataPath));
    }

    [Theory]
    [InlineData]
    [InlineData("bad user")]
    [InlineData("alice", "--unknown")]
    [InlineData("alice", "--days", "0")]
    [InlineData("alice", "bob")]
    public void The_token_command_refuses_bad_arguments(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = TokenCommand.Run([.. args, $"--Data:Path={_dataPath}"], output, error);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output.ToString());
        Assert.NotEqual("", error.ToString());
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataPath)) Directory.Delete(_dataPath, recursive: true);
    }

    private static string Issue(SigningKey key, string userId) =>
        new TokenIssuer(key, issuer: null, TimeProvider.System).Issue(userId, isOperator: false, TimeSpan.FromHours(1));

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
