using AdWallet.Api.Requests;

namespace AdWallet.Api.Auth;

/// <summary>
/// <c>token USER [--operator] [--days N] [--Key=Value ...]</c>: prints a token for USER and exits, without starting
/// the server. The key is resolved as the server resolves it, from the same configuration (so it creates the
/// data-folder key when there is none yet); <c>--Key=Value</c> arguments are configuration, as for the server.
/// </summary>
public static class TokenCommand
{
    public const string Name = "token";

    private const string Usage = "usage: token <userId> [--operator] [--days <1-3650>] [--Key=Value ...]";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? userId = null;
        var isOperator = false;
        var lifetime = TokenIssuer.DefaultLifetime;
        var configurationArgs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--operator":
                    isOperator = true;
                    break;
                case "--days" when i + 1 < args.Length && int.TryParse(args[i + 1], out var days) && days is >= 1 and <= 3650:
                    lifetime = TimeSpan.FromDays(days);
                    i++;
                    break;
                case var arg when arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('='):
                    configurationArgs.Add(arg);
                    break;
                case var arg when userId is null && !arg.StartsWith('-'):
                    userId = arg;
                    break;
                default:
                    error.WriteLine(Usage);
                    return 2;
            }
        }
        if (userId is null)
        {
            error.WriteLine(Usage);
            return 2;
        }
        if (!Formats.IsUserId(userId))
        {
            error.WriteLine("The user id must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -.");
            return 2;
        }

        // The server's builder, not started: the same appsettings, environment variables and arguments.
        var configuration = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. configurationArgs] }).Configuration;
        try
        {
            var key = SigningKeyStore.Resolve(configuration);
            var issuer = AuthOptions.From(configuration).Issuer;
            output.WriteLine(new TokenIssuer(key, issuer, TimeProvider.System).Issue(userId, isOperator, lifetime));
            return 0;
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine(exception.Message);
            return 1;
        }
    }
}
