using Orleans;
using Orleans.Runtime;

namespace AdWallet.Grains.BusinessInfo;

public static class BusinessInfoReview
{
    /// <summary>The one queue of the platform.</summary>
    public const long Key = 0;

    /// <summary>
    /// At most this many pending requests (one per wallet at most) are queued, so that the queue's activation stays
    /// small; past it, masters are asked to try again later (503 <c>review_queue_full</c>).
    /// </summary>
    public const int MaximumPending = 10_000;
}

public sealed class BusinessInfoReviewState
{
    /// <summary>The pending requests, oldest first.</summary>
    public List<BusinessInfoRequestView> Pending { get; set; } = [];
}

/// <summary>The operators' queue of pending business-information requests, across wallets.</summary>
public sealed class BusinessInfoReviewGrain(
    [PersistentState("businessInfoReview")] IPersistentState<BusinessInfoReviewState> review) : Grain, IBusinessInfoReviewGrain
{
    private List<BusinessInfoRequestView> Pending => review.State.Pending;

    public async Task Add(BusinessInfoRequestView request)
    {
        var at = Pending.FindIndex(r => r.Id == request.Id);
        if (at >= 0)
        {
            // The same request again (its first store failed after it was queued): the newer one replaces it.
            Pending[at] = request;
        }
        else
        {
            if (Pending.Count >= BusinessInfoReview.MaximumPending)
                throw new DomainException(ErrorCodes.ReviewQueueFull, "Too many requests wait for operators; try again later.");
            Pending.Add(request);
        }
        await review.WriteStateAsync();
    }

    public async Task Remove(string requestId)
    {
        if (Pending.RemoveAll(r => r.Id == requestId) > 0) await review.WriteStateAsync();
    }

    public Task<Page<BusinessInfoRequestView>> ListPending(PageRequest page) =>
        Task.FromResult(Paging.NewestFirst(Pending, page, request => request));
}
