using Orleans;

namespace AdWallet.Grains.Wallets;

[GenerateSerializer, Alias("adwallet.CreateWallet")]
public sealed record CreateWallet([property: Id(0)] string Name, [property: Id(1)] string Kind, [property: Id(2)] string? BusinessRegistrationNumber = null, [property: Id(3)] string? TaxInvoiceEmail = null);

/// <summary>Only the fields given change.</summary>
[GenerateSerializer, Alias("adwallet.UpdateWallet")]
public sealed record UpdateWallet([property: Id(0)] string? Name = null, [property: Id(1)] string? TaxInvoiceEmail = null);

/// <summary>A top-up. For <c>card</c>, either a registered <see cref="CardId"/> or a <see cref="CardNumber"/>.</summary>
[GenerateSerializer, Alias("adwallet.ChargeCommand")]
public sealed record ChargeCommand([property: Id(0)] long Amount, [property: Id(1)] string Method, [property: Id(2)] bool TermsAccepted, [property: Id(3)] string? CardId = null, [property: Id(4)] string? CardNumber = null);

/// <summary>Refunds <see cref="Amount"/>, or everything unused of the charge when it is null.</summary>
[GenerateSerializer, Alias("adwallet.RefundCommand")]
public sealed record RefundCommand([property: Id(0)] string ChargeId, [property: Id(1)] long? Amount = null);

[GenerateSerializer, Alias("adwallet.GrantFreeCash")]
public sealed record GrantFreeCash([property: Id(0)] long Amount, [property: Id(1)] DateTimeOffset ExpiresAt);

/// <param name="Expiry">MM/YY.</param>
[GenerateSerializer, Alias("adwallet.AddCard")]
public sealed record AddCard([property: Id(0)] string Number, [property: Id(1)] string Expiry, [property: Id(2)] string Kind);

/// <summary>Auto-pay on or off, with an optional daily limit (1,000 to 100,000,000 won, in steps of 1,000).</summary>
[GenerateSerializer, Alias("adwallet.AutoPaySettings")]
public sealed record AutoPaySettings([property: Id(0)] bool Enabled, [property: Id(1)] long? DailyLimit = null);

/// <param name="Sequence">The campaign's settlement number: 1, 2, 3... A sequence already taken is answered again, not taken twice.</param>
[GenerateSerializer, Alias("adwallet.SpendSettlement")]
public sealed record SpendSettlement([property: Id(0)] string CampaignId, [property: Id(1)] string AdAccountId, [property: Id(2)] long Sequence, [property: Id(3)] long Amount);

[GenerateSerializer, Alias("adwallet.SpendSettled")]
public sealed record SpendSettled([property: Id(0)] long Sequence, [property: Id(1)] BalanceView Balance, [property: Id(2)] bool Replayed);
