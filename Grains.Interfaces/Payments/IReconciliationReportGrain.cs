using Orleans;

namespace AdWallet.Grains.Payments;

/// <summary>
/// The operators' reconciliation report: for every wallet with captures at the gateway in a time range, the gateway's
/// money (captured minus refunded) next to the ledger's (credited minus refunded), and where they differ.
/// </summary>
[Alias("adwallet.IReconciliationReportGrain")]
public interface IReconciliationReportGrain : IGrainWithIntegerKey
{
    [Alias("Build")]
    Task<ReconciliationReport> Build(DateTimeOffset from, DateTimeOffset to);
}

[GenerateSerializer, Alias("adwallet.ReconciliationReport")]
public sealed record ReconciliationReport(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] IReadOnlyList<WalletReconciliation> Wallets,
    [property: Id(3)] IReadOnlyList<ReconciliationMismatch> Mismatches);

/// <param name="GatewayNet">Captured minus refunded at the gateway, over the wallet's captures in the range.</param>
/// <param name="LedgerNet">Credited minus refunded in the wallet's ledger, for the same captures.</param>
[GenerateSerializer, Alias("adwallet.WalletReconciliation")]
public sealed record WalletReconciliation(
    [property: Id(0)] string WalletId,
    [property: Id(1)] long GatewayNet,
    [property: Id(2)] long LedgerNet);

/// <param name="PaymentIds">The gateway's payment keys whose money differs from the ledger's.</param>
/// <param name="ChargeIds">The wallet's charges those payments belong to.</param>
[GenerateSerializer, Alias("adwallet.ReconciliationMismatch")]
public sealed record ReconciliationMismatch(
    [property: Id(0)] string WalletId,
    [property: Id(1)] long GatewayNet,
    [property: Id(2)] long LedgerNet,
    [property: Id(3)] IReadOnlyList<string> PaymentIds,
    [property: Id(4)] IReadOnlyList<string> ChargeIds);
