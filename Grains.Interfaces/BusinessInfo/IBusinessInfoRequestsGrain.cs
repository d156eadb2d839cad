using Orleans;

namespace AdWallet.Grains.BusinessInfo;

/// <summary>
/// The business-information change requests of one business wallet (keyed by the wallet's id): the master asks, an
/// operator approves or rejects, and an approval changes the wallet. At most one request is open at a time; the
/// grain keeps it and the last <c>BusinessInfoRequestsState.RecentHistory</c> decided ones.
/// </summary>
[Alias("adwallet.IBusinessInfoRequestsGrain")]
public interface IBusinessInfoRequestsGrain : IGrainWithStringKey
{
    /// <summary>The wallet master only; a personal wallet has no business information.</summary>
    [Alias("Request")]
    Task<BusinessInfoRequestView> Request(Caller caller, BusinessInfoChange change);

    /// <summary>The wallet master only: the open request and the recent decided ones, newest first.</summary>
    [Alias("List")]
    Task<Page<BusinessInfoRequestView>> List(Caller caller, PageRequest page);

    /// <summary>Operators only. Deciding again as decided answers the same; the other decision is refused.</summary>
    [Alias("Decide")]
    Task<BusinessInfoRequestView> Decide(Caller caller, string requestId, bool approve);
}

/// <summary>The operators' queue: the pending requests of every wallet, so that they can be listed in one place.</summary>
[Alias("adwallet.IBusinessInfoReviewGrain")]
public interface IBusinessInfoReviewGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or replaces a pending request; a full queue refuses it with <c>review_queue_full</c>.</summary>
    [Alias("Add")]
    Task Add(BusinessInfoRequestView request);

    [Alias("Remove")]
    Task Remove(string requestId);

    [Alias("ListPending")]
    Task<Page<BusinessInfoRequestView>> ListPending(PageRequest page);
}
