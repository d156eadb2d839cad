namespace AdWallet.Grains.Wallets;

public sealed record CreateWallet(string Name, string Kind, string? BusinessRegistrationNumber = null, string? TaxInvoiceEmail = null);

/// <summary>Only the fields given change.</summary>
public sealed record UpdateWallet(string? Name = null, string? TaxInvoiceEmail = null);

/// <summary>A top-up. For <c>card</c>, either a registered <see cref="CardId"/> or a <see cref="CardNumber"/>.</summary>
public sealed record ChargeCommand(long Amount, string Method, bool TermsAccepted, string? CardId = null, string? CardNumber = null);

/// <summary>Refunds <see cref="Amount"/>, or everything unused of the charge when it is null.</summary>
public sealed record RefundCommand(string ChargeId, long? Amount = null);

public sealed record GrantFreeCash(long Amount, DateTimeOffset ExpiresAt);

/// <param name="Expiry">MM/YY.</param>
public sealed record AddCard(string Number, string Expiry, string Kind);

/// <summary>Auto-pay on or off, with an optional daily limit (1,000 to 100,000,000 won, in steps of 1,000).</summary>
public sealed record AutoPaySettings(bool Enabled, long? DailyLimit = null);

/// <param name="Sequence">The campaign's settlement number: 1, 2, 3... A sequence already taken is answered again, not taken twice.</param>
public sealed record SpendSettlement(string CampaignId, string AdAccountId, long Sequence, long Amount);

public sealed record SpendSettled(long Sequence, BalanceView Balance, bool Replayed);
