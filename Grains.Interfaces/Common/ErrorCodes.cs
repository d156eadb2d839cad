namespace AdWallet.Grains;

/// <summary>The stable codes of refusals. Clients rely on them; add codes, never rename one.</summary>
public static class ErrorCodes
{
    /// <summary>The resource does not exist, or the caller may not see it.</summary>
    public const string NotFound = "not_found";

    /// <summary>The caller may see the resource but not change it this way.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>A value breaks a domain rule that the request's shape alone could not show.</summary>
    public const string ValidationFailed = "validation_failed";

    public const string IdentityVerificationRequired = "identity_verification_required";
    public const string TermsNotAccepted = "terms_not_accepted";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string AlreadyExists = "already_exists";

    public const string NegativeBalance = "negative_balance";
    public const string RefundExceedsAvailable = "refund_exceeds_available";

    public const string CardLimit = "card_limit";
    public const string CreditCardRequired = "credit_card_required";

    /// <summary>The gateway took the payment but did not confirm in time; reconciliation settles it.</summary>
    public const string PaymentPending = "payment_pending";

    /// <summary>The payment gateway could not be reached: nothing was captured or recorded; the same request may be retried.</summary>
    public const string PaymentGatewayUnavailable = "payment_gateway_unavailable";

    public const string CardDeclined = "card_declined";
    public const string InsufficientFunds = "insufficient_funds";
    public const string ExpiredCard = "expired_card";
    public const string ProcessingError = "processing_error";

    public const string CannotRemoveMaster = "cannot_remove_master";

    public const string MemberLimit = "member_limit";
    public const string CampaignLimit = "campaign_limit";
    public const string NoInvitation = "no_invitation";

    /// <summary>Creating accounts or campaigns too fast again, after a warning notice.</summary>
    public const string CreationRateLimited = "creation_rate_limited";

    public const string BudgetLocked = "budget_locked";
    public const string CampaignNotRunning = "campaign_not_running";
    public const string AdAccountOff = "ad_account_off";
    public const string BudgetExhausted = "budget_exhausted";
    public const string OverseasNotEligible = "overseas_not_eligible";

    /// <summary>A friend group asked of a customer file that is still being processed, or failed.</summary>
    public const string FileNotReady = "file_not_ready";
    public const string FriendGroupLimit = "friend_group_limit";

    /// <summary>A business wallet on a general channel: it can be connected to a business channel only.</summary>
    public const string BusinessChannelRequired = "business_channel_required";

    /// <summary>Only a business wallet has business information and a tax-invoice email (personal ones get no tax invoice).</summary>
    public const string BusinessWalletRequired = "business_wallet_required";

    /// <summary>A wallet has one open business-information request at a time.</summary>
    public const string BusinessInfoRequestPending = "business_info_request_pending";

    /// <summary>The request was decided the other way already (approving a rejected one, or rejecting an approved one).</summary>
    public const string BusinessInfoRequestDecided = "business_info_request_decided";

    /// <summary>The operators' queue of pending requests is full: try again once operators have decided some.</summary>
    public const string ReviewQueueFull = "review_queue_full";
}
