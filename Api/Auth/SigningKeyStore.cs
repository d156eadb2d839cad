using System.Security.Cryptography;
using System.Text;
using AdWallet.Silo;
using Microsoft.IdentityModel.Tokens;

namespace AdWallet.Api.Auth;

/// <summary>The HS256 key that signs and checks tokens, and where it came from.</summary>
public sealed record SigningKey(byte[] Bytes, string Source)
{
    public SymmetricSecurityKey SecurityKey { get; } = new(Bytes);
}

/// <summary>
/// Finds the signing key: <c>Auth:SigningKey</c> when configured, otherwise the key kept in the data folder, made
/// the first time (64 random bytes, base64, readable by the owner only) and reused afterwards so that tokens outlive
/// restarts. The server and the <c>token</c> command resolve it the same way.
/// </summary>
public static class SigningKeyStore
{
    public const string FileName = "signing-key";
    public const int GeneratedKeyBytes = 64;

    public static SigningKey Resolve(IConfiguration configuration)
    {
        var options = AuthOptions.From(configuration);
        if (options.SigningKey is not null)
            return new SigningKey(Encoding.UTF8.GetBytes(options.SigningKey), "Auth:SigningKey");

        return LoadOrCreate(DataFolder.Resolve(configuration));
    }

    public static SigningKey LoadOrCreate(string dataPath)
    {
        var path = Path.Combine(dataPath, FileName);
        if (!File.Exists(path))
            TryCreate(dataPath, path);
        return Load(path);
    }

    private static SigningKey Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(ReadWhole(path).Trim());
        }
        catch (FormatException)
        {
            bytes = [];
        }
        if (bytes.Length < AuthOptions.MinimumKeyBytes)
            throw new InvalidOperationException(
                $"The signing key file {path} does not hold a base64 key of at least {AuthOptions.MinimumKeyBytes} bytes. " +
                "Set Auth:SigningKey, or delete the file to have a new key made (tokens signed with the old one stop working).");
        return new SigningKey(bytes, path);
    }

    /// <summary>
    /// Reads the key file, waiting a moment for a file that another process has just created and not yet written
    /// (a made key is written in one call and ends with a newline).
    /// </summary>
    private static string ReadWhole(string path)
    {
        var text = File.ReadAllText(path);
        for (var attempt = 0; !text.EndsWith('\n') && IsBeingWritten(path) && attempt < 100; attempt++)
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(10));
            text = File.ReadAllText(path);
        }
        return text;
    }

    private static bool IsBeingWritten(string path) => DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < TimeSpan.FromSeconds(2);

    /// <summary>
    /// Creates the key file exclusively (O_EXCL), so that of processes starting at once exactly one writes a key and
    /// every one of them reads that key.
    /// </summary>
    private static void TryCreate(string dataPath, string path)
    {
        Directory.CreateDirectory(dataPath);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedKeyBytes)) + "\n"));
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made the key first: use that one.
        }
    }
}
