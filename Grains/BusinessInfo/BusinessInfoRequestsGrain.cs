using AdWallet.Grains.Wallets;
using Orleans;
using Orleans.Runtime;

namespace AdWallet.Grains.BusinessInfo;

public sealed class BusinessInfoRequestsState
{
    /// <summary>How many decided requests a wallet keeps to show its master: the state stays small whatever happens.</summary>
    public const int RecentHistory = 10;

    /// <summary>How many requests the wallet has had: the next one's number.</summary>
    public long Count { get; set; }

    public BusinessInfoRequestView? Open { get; set; }

    /// <summary>The last <see cref="RecentHistory"/> decided requests, oldest first.</summary>
    public List<BusinessInfoRequestView> Decided { get; set; } = [];
}

/// <summary>
/// One wallet's business-information requests. The wallet decides who may ask (its master) and takes approved changes;
/// the operators' queue (<see cref="IBusinessInfoReviewGrain"/>) lists what is pending.
/// </summary>
/// <remarks>
/// The queue is told before a request is stored and after a decision is, so a failure in between leaves at worst a
/// queue entry for a request that does not exist (deciding it answers not found and removes it) or a decided request
/// still queued (deciding it again answers as before and removes it); never a pending request operators cannot see.
/// </remarks>
public sealed class BusinessInfoRequestsGrain(
    [PersistentState("businessInfoRequests")] IPersistentState<BusinessInfoRequestsState> requests,
    TimeProvider time) : Grain, IBusinessInfoRequestsGrain
{
    private BusinessInfoRequestsState State => requests.State;

    private string WalletId => this.GetPrimaryKeyString();

    public async Task<BusinessInfoRequestView> Request(Caller caller, BusinessInfoChange change)
    {
        if (change.BusinessRegistrationNumber is null && change.BusinessName is null)
            throw new DomainException(ErrorCodes.ValidationFailed, "Name the business registration number or the business name to change.");
        if (change.BusinessRegistrationNumber is { } number && !(number.Length == WalletLimits.BusinessRegistrationNumberLength && number.All(char.IsAsciiDigit)))
            throw new DomainException(ErrorCodes.ValidationFailed, "A business registration number is 10 digits.");
        if (await Wallet.RequireBusinessInfoRequester(caller) != WalletKinds.Business)
            throw new DomainException(ErrorCodes.BusinessWalletRequired, "A personal wallet has no business information.");
        if (State.Open is not null)
            throw new DomainException(ErrorCodes.BusinessInfoRequestPending, $"Request {State.Open.Id} is still waiting for an operator.");

        var request = new BusinessInfoRequestView(BusinessInfoRequestIds.For(WalletId, State.Count + 1), WalletId,
            change.BusinessRegistrationNumber, change.BusinessName, BusinessInfoRequestStatuses.Pending, caller.UserId, time.GetUtcNow());
        await Review.Add(request);
        State.Open = request;
        State.Count++;
        await requests.WriteStateAsync();
        return request;
    }

    public async Task<Page<BusinessInfoRequestView>> List(Caller caller, PageRequest page)
    {
        await Wallet.RequireBusinessInfoRequester(caller);
        List<BusinessInfoRequestView> oldestFirst = [.. State.Decided];
        if (State.Open is { } open) oldestFirst.Add(open);
        return Paging.NewestFirst(oldestFirst, page, request => request);
    }

    public async Task<BusinessInfoRequestView> Decide(Caller caller, string requestId, bool approve)
    {
        if (!caller.IsOperator) throw DomainException.Forbidden("Only operators decide business-information requests.");
        var wanted = approve ? BusinessInfoRequestStatuses.Approved : BusinessInfoRequestStatuses.Rejected;
        var request = Find(requestId);
        if (request is null)
        {
            await Review.Remove(requestId);
            throw DomainException.NotFound($"Business-information request {requestId}");
        }
        if (request.Status == BusinessInfoRequestStatuses.Pending)
        {
            request = request with { Status = wanted, DecidedBy = caller.UserId, DecidedAt = time.GetUtcNow() };
            State.Open = null;
            State.Decided.Add(request);
            if (State.Decided.Count > BusinessInfoRequestsState.RecentHistory) State.Decided.RemoveAt(0);
            await requests.WriteStateAsync();
        }
        else if (request.Status != wanted)
        {
            throw new DomainException(ErrorCodes.BusinessInfoRequestDecided, $"Request {requestId} was {request.Status} already.");
        }

        // Also when approved before: the wallet applies a request once, so this repairs an approval whose change was lost.
        if (approve && BusinessInfoRequestIds.TryParse(requestId, out _, out var number))
            await Wallet.ApplyBusinessInfo(number, new BusinessInfoChange(request.BusinessRegistrationNumber, request.BusinessName));
        await Review.Remove(requestId);
        return request;
    }

    private BusinessInfoRequestView? Find(string requestId) =>
        State.Open?.Id == requestId ? State.Open : State.Decided.FirstOrDefault(r => r.Id == requestId);

    private IWalletGrain Wallet => GrainFactory.GetGrain<IWalletGrain>(WalletId);

    private IBusinessInfoReviewGrain Review => GrainFactory.GetGrain<IBusinessInfoReviewGrain>(BusinessInfoReview.Key);
}
