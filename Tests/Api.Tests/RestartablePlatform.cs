namespace AdWallet.Api.Tests;

/// <summary>
/// An <see cref="EmbeddedPlatform"/> that can be restarted: stopped, then started again on the same data folder with
/// the same signing key, as a process restart would. The folder is deleted once, when this is disposed.
/// </summary>
public sealed class RestartablePlatform : IAsyncDisposable
{
    private readonly string _signingKey;

    public RestartablePlatform(string signingKey = TestTokens.SigningKey)
    {
        _signingKey = signingKey;
        DataPath = EmbeddedPlatform.NewDataPath();
        Current = EmbeddedPlatform.OnDataPath(DataPath, signingKey);
    }

    public string DataPath { get; }

    /// <summary>The running platform; a new instance after every <see cref="RestartAsync"/>.</summary>
    public EmbeddedPlatform Current { get; private set; }

    public int Restarts { get; private set; }

    /// <summary>Stops the platform (its host and silo, closing its storage) and starts a new one on the same folder.</summary>
    public async Task<EmbeddedPlatform> RestartAsync()
    {
        await Current.DisposeAsync();
        Assert.True(Directory.Exists(DataPath), "The data folder must outlive the platform that is stopped.");
        Current = EmbeddedPlatform.OnDataPath(DataPath, _signingKey);
        Restarts++;
        return Current;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Current.DisposeAsync();
        }
        finally
        {
            if (Directory.Exists(DataPath)) Directory.Delete(DataPath, recursive: true);
        }
    }
}
