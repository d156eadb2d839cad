using System.Text;

namespace AdWallet.Api.Auth;

/// <summary>The <c>Auth</c> section. Without a <see cref="SigningKey"/>, the key kept in the data folder signs tokens.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public const int MinimumKeyBytes = 32;

    /// <summary>The HS256 key: the UTF-8 bytes of this text, at least 32 of them. Set it through <c>Auth__SigningKey</c>, never in a file under source control.</summary>
    public string? SigningKey { get; set; }

    /// <summary>When set, tokens are issued with this <c>iss</c> and only tokens with it are accepted.</summary>
    public string? Issuer { get; set; }

    public static AuthOptions From(IConfiguration configuration)
    {
        var options = new AuthOptions();
        configuration.GetSection(SectionName).Bind(options);
        if (string.IsNullOrEmpty(options.SigningKey)) options.SigningKey = null;
        if (string.IsNullOrWhiteSpace(options.Issuer)) options.Issuer = null;
        if (options.SigningKey is not null && Encoding.UTF8.GetByteCount(options.SigningKey) < MinimumKeyBytes)
            throw new InvalidOperationException($"Auth:SigningKey must be at least {MinimumKeyBytes} bytes; leave it unset to use the key kept in the data folder.");
        return options;
    }
}
