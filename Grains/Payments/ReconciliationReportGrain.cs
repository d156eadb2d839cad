using AdWallet.Grains.Wallets;
using Orleans;
using Orleans.Concurrency;

namespace AdWallet.Grains.Payments;

/// <summary>
/// Builds the report by reading the gateway's captures in the range, page by page, and asking each wallet what its
/// ledger holds for its captures. A payment reference is the wallet's id, a slash and the charge id; a capture whose
/// reference names no wallet is reported against that reference, with nothing in any ledger.
/// </summary>
[StatelessWorker]
public sealed class ReconciliationReportGrain(IPaymentGateway gateway, IGrainFactory grains) : Grain, IReconciliationReportGrain
{
    private const int PageSize = 500;

    public async Task<ReconciliationReport> Build(DateTimeOffset from, DateTimeOffset to)
    {
        var captures = await CapturesByWalletAsync(from, to);
        var wallets = new List<WalletReconciliation>(captures.Count);
        var mismatches = new List<ReconciliationMismatch>();
        foreach (var (walletId, walletCaptures) in captures)
        {
            var ledger = await LedgerAsync(walletId, walletCaptures);
            var gatewayNet = walletCaptures.Sum(Net);
            var ledgerNet = ledger.Values.Sum(entry => entry.Net);
            wallets.Add(new WalletReconciliation(walletId, gatewayNet, ledgerNet));
            var differing = walletCaptures.Where(capture => Net(capture) != ledger[capture.CaptureId].Net).ToArray();
            if (differing.Length > 0 || gatewayNet != ledgerNet)
            {
                mismatches.Add(new ReconciliationMismatch(walletId, gatewayNet, ledgerNet,
                    [.. differing.Select(capture => capture.CaptureId)],
                    [.. differing.Select(capture => ChargeId(capture.Reference)).Distinct(StringComparer.Ordinal)]));
            }
        }
        return new ReconciliationReport(from, to, wallets, mismatches);
    }

    private async Task<SortedDictionary<string, List<Capture>>> CapturesByWalletAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var byWallet = new SortedDictionary<string, List<Capture>>(StringComparer.Ordinal);
        string? after = null;
        while (true)
        {
            var page = await gateway.ListCapturesAsync(from, to, after, PageSize);
            foreach (var capture in page)
            {
                var walletId = WalletId(capture.Reference);
                if (!byWallet.TryGetValue(walletId, out var list)) byWallet[walletId] = list = [];
                list.Add(capture);
            }
            if (page.Count < PageSize) return byWallet;
            after = page[^1].CaptureId;
        }
    }

    private async Task<Dictionary<string, PaymentLedgerView>> LedgerAsync(string walletId, List<Capture> captures)
    {
        var ledger = new Dictionary<string, PaymentLedgerView>(StringComparer.Ordinal);
        var wallet = grains.GetGrain<IWalletGrain>(walletId);
        foreach (var chunk in captures.Chunk(PageSize))
        {
            var entries = await wallet.GetPaymentLedger([.. chunk.Select(capture => new CaptureRef(capture.CaptureId, ChargeId(capture.Reference)))]);
            foreach (var entry in entries) ledger[entry.CaptureId] = entry;
        }
        return ledger;
    }

    private static long Net(Capture capture) => capture.Amount - capture.RefundedAmount;

    private static string WalletId(string reference) => reference.IndexOf('/') is var slash and > 0 ? reference[..slash] : reference;

    private static string ChargeId(string reference) => reference.IndexOf('/') is var slash and > 0 ? reference[(slash + 1)..] : "";
}
