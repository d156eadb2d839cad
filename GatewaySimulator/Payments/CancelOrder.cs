using AdWallet.GatewaySimulator.Contracts;

namespace AdWallet.GatewaySimulator.Payments;

/// <summary>A cancellation request that has passed every check. A null amount cancels the rest of the payment.</summary>
internal sealed record CancelOrder(string CancelId, long? Amount, string Reason)
{
    public const int MaxCancelIdLength = 200;
    public const int MaxReasonLength = 200;

    /// <summary>The cancellation, or the words of the 400 that refuses it.</summary>
    public static (CancelOrder? Cancel, string? Error) From(CancelRequest? request) => request switch
    {
        null => (null, "The body must be a JSON cancellation."),
        { CancelId: not { Length: >= 1 and <= MaxCancelIdLength } } => (null, $"cancelId must be 1 to {MaxCancelIdLength} characters."),
        { Amount: not null and not (>= 1 and <= PaymentOrder.MaxAmount) } => (null, $"amount, when given, must be 1 to {PaymentOrder.MaxAmount} won."),
        { Reason: not { Length: >= 1 and <= MaxReasonLength } } => (null, $"reason must be 1 to {MaxReasonLength} characters."),
        _ => (new(request.CancelId!, request.Amount, request.Reason!), null),
    };
}
