namespace AdWallet.Grains;

/// <summary>
/// How a grain refuses: a stable <see cref="Code"/> (see <see cref="ErrorCodes"/>) and a message for people. Nothing
/// was changed by the refused call.
/// </summary>
public sealed class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    public static DomainException NotFound(string what) => new(ErrorCodes.NotFound, $"{what} was not found.");

    public static DomainException Forbidden(string message) => new(ErrorCodes.Forbidden, message);
}
