using System.Globalization;
using AdWallet.GatewaySimulator.Contracts;

namespace AdWallet.GatewaySimulator.Payments;

/// <summary>A checked listing query of <c>GET /v1/payments</c> (without <c>orderId</c>).</summary>
internal sealed record PaymentQuery(string? OrderIdPrefix, DateTimeOffset? From, DateTimeOffset? To, string? After, int Limit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1_000;

    /// <summary>The query, or the words of the 400 that refuses it.</summary>
    public static (PaymentQuery? Query, string? Error) Parse(PaymentQueryRequest request)
    {
        if (request.OrderIdPrefix is { Length: > PaymentOrder.MaxOrderIdLength })
            return (null, $"orderIdPrefix must be at most {PaymentOrder.MaxOrderIdLength} characters.");
        if (!TryTime(request.From, out var from))
            return (null, "from must be an ISO 8601 time (UTC without an offset), such as 2026-12-03T12:00:00+00:00.");
        if (!TryTime(request.To, out var to))
            return (null, "to must be an ISO 8601 time (UTC without an offset), such as 2026-12-03T12:00:00+00:00.");
        if (request.After is { Length: 0 })
            return (null, "after must name a payment key.");
        var limit = DefaultLimit;
        if (request.Limit is not null
            && (!int.TryParse(request.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            return (null, $"limit must be a whole number from 1 to {MaxLimit}.");
        return (new(request.OrderIdPrefix, from, to, request.After, limit), null);
    }

    private static bool TryTime(string? value, out DateTimeOffset? time)
    {
        time = null;
        if (value is null)
            return true;
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return false;
        time = parsed;
        return true;
    }
}
