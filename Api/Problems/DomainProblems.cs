using AdWallet.Grains;

namespace AdWallet.Api.Problems;

/// <summary>Maps a grain's refusal to its HTTP answer. A code not listed here is a conflict with the resource's state.</summary>
public static class DomainProblems
{
    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.IdentityVerificationRequired => StatusCodes.Status403Forbidden,
        ErrorCodes.ValidationFailed => StatusCodes.Status400BadRequest,
        ErrorCodes.TermsNotAccepted => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.IdempotencyKeyReused => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.CreditCardRequired => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.BusinessWalletRequired => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.BusinessChannelRequired => StatusCodes.Status409Conflict,
        ErrorCodes.BusinessInfoRequestPending or ErrorCodes.BusinessInfoRequestDecided => StatusCodes.Status409Conflict,
        ErrorCodes.ReviewQueueFull => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.AlreadyExists => StatusCodes.Status409Conflict,
        ErrorCodes.NegativeBalance => StatusCodes.Status409Conflict,
        ErrorCodes.RefundExceedsAvailable => StatusCodes.Status409Conflict,
        ErrorCodes.CardLimit => StatusCodes.Status409Conflict,
        ErrorCodes.CannotRemoveMaster => StatusCodes.Status409Conflict,
        ErrorCodes.CardDeclined or ErrorCodes.InsufficientFunds or ErrorCodes.ExpiredCard or ErrorCodes.ProcessingError => StatusCodes.Status402PaymentRequired,
        ErrorCodes.OverseasNotEligible => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.PaymentGatewayUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.CreationRateLimited => StatusCodes.Status429TooManyRequests,
        ErrorCodes.MemberLimit or ErrorCodes.CampaignLimit or ErrorCodes.NoInvitation => StatusCodes.Status409Conflict,
        ErrorCodes.BudgetLocked or ErrorCodes.CampaignNotRunning or ErrorCodes.AdAccountOff or ErrorCodes.BudgetExhausted => StatusCodes.Status409Conflict,
        ErrorCodes.FileNotReady or ErrorCodes.FriendGroupLimit => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status409Conflict,
    };

    public static ApiProblem From(DomainException exception)
    {
        var status = StatusFor(exception.Code);
        // Every validation_failed answer carries an errors object; a grain's refusal names no field of the body.
        var errors = status == StatusCodes.Status400BadRequest ? new Dictionary<string, string[]>() : null;
        return new ApiProblem(status, exception.Code, exception.Message, errors);
    }
}
