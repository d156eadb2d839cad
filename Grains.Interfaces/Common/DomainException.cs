using Orleans;

namespace AdWallet.Grains;

/// <summary>
/// How a grain refuses: a stable <see cref="Code"/> (see <see cref="ErrorCodes"/>) and a message for people. Nothing
/// was changed by the refused call. It crosses grain boundaries with its code.
/// </summary>
[GenerateSerializer, Alias("adwallet.DomainException")]
public sealed class DomainException(string code, string message) : Exception(message)
{
    [Id(0)]
    public string Code { get; private set; } = code;

    public static DomainException NotFound(string what) => new(ErrorCodes.NotFound, $"{what} was not found.");

    public static DomainException Forbidden(string message) => new(ErrorCodes.Forbidden, message);
}
