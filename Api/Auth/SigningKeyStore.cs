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
            bytes = Convert.FromBase64String(File.ReadAllText(path).Trim());
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
    /// Writes the new key to a temporary file and moves it into place without overwriting, so that two processes
    /// starting at once both end up with whichever key landed first, and no one ever reads a half-written file.
    /// </summary>
    private static void TryCreate(string dataPath, string path)
    {
        Directory.CreateDirectory(dataPath);
        var temporary = Path.Combine(dataPath, $"{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedKeyBytes)) + "\n"));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made the key first: use that one.
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
