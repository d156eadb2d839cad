using System.Globalization;
using Orleans;

namespace AdWallet.Grains.BusinessInfo;

/// <summary>A change of a business wallet's business information; null fields stay as they are.</summary>
[GenerateSerializer, Alias("adwallet.BusinessInfoChange")]
public sealed record BusinessInfoChange([property: Id(0)] string? BusinessRegistrationNumber, [property: Id(1)] string? BusinessName);

/// <param name="Status">A <see cref="BusinessInfoRequestStatuses"/> value.</param>
[GenerateSerializer, Alias("adwallet.BusinessInfoRequestView")]
public sealed record BusinessInfoRequestView(
    [property: Id(0)] string Id,
    [property: Id(1)] string WalletId,
    [property: Id(2)] string? BusinessRegistrationNumber,
    [property: Id(3)] string? BusinessName,
    [property: Id(4)] string Status,
    [property: Id(5)] string RequestedBy,
    [property: Id(6)] DateTimeOffset RequestedAt,
    [property: Id(7)] string? DecidedBy = null,
    [property: Id(8)] DateTimeOffset? DecidedAt = null);

public static class BusinessInfoRequestStatuses
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
}

/// <summary>
/// A request's id names its wallet and its number there (<c>{walletId}-bir{n}</c>), so that an operator's decision goes
/// straight to the wallet's requests, and numbers tell a wallet which of two approvals is the newer.
/// </summary>
public static class BusinessInfoRequestIds
{
    private const string Separator = "-bir";

    public static string For(string walletId, long number) => $"{walletId}{Separator}{number.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string requestId, out string walletId, out long number)
    {
        var at = requestId.LastIndexOf(Separator, StringComparison.Ordinal);
        walletId = at > 0 ? requestId[..at] : "";
        number = 0;
        return at > 0
            && long.TryParse(requestId.AsSpan(at + Separator.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number)
            && number > 0
            && For(walletId, number) == requestId;
    }
}
