namespace AdWallet.Grains.Wallets;

/// <summary>A top-up being charged: what its events and the gateway's metadata are made of.</summary>
internal sealed record ChargeRequest(string ChargeId, long Amount, string Method, string? CardId, string IdempotencyScope, string RequestHash)
{
    public const string ScopeMetadata = "idempotency_scope";
    public const string RequestHashMetadata = "request_hash";
    public const string MethodMetadata = "method";
    public const string CardMetadata = "card_id";

    /// <summary>What the gateway keeps with the capture, so that reconciliation can credit a capture whose credit was lost.</summary>
    public IReadOnlyDictionary<string, string> Metadata()
    {
        var metadata = new Dictionary<string, string>
        {
            [ScopeMetadata] = IdempotencyScope,
            [RequestHashMetadata] = RequestHash,
            [MethodMetadata] = Method,
        };
        if (CardId is not null) metadata[CardMetadata] = CardId;
        return metadata;
    }

    /// <summary>The charge as the gateway's metadata describes it; null for a capture this wallet did not make as a top-up.</summary>
    public static ChargeRequest? FromCapture(string chargeId, Payments.Capture capture) =>
        capture.Metadata is { } metadata
        && metadata.TryGetValue(ScopeMetadata, out var scope)
        && metadata.TryGetValue(RequestHashMetadata, out var requestHash)
        && metadata.TryGetValue(MethodMetadata, out var method)
            ? new ChargeRequest(chargeId, capture.Amount, method, metadata.GetValueOrDefault(CardMetadata), scope, requestHash)
            : null;

    public ChargeStarted Started(DateTimeOffset at, string reference) =>
        new(at, ChargeId, Amount, Method, CardId, reference, IdempotencyScope, RequestHash);

    public ChargeCaptured Captured(DateTimeOffset at, string captureId, Posting posting) =>
        new(at, ChargeId, Amount, Method, CardId, RequestHash, captureId, posting);
}

/// <summary>A charge waiting for the gateway: a retry with the same key waits for the same outcome.</summary>
internal sealed record ChargeInFlight(string RequestHash, Task<ChargeView> Outcome);
