using AdWallet.Api.Auth;
using AdWallet.Api.Idempotency;
using AdWallet.Api.Requests;
using AdWallet.Grains.Wallets;
using Orleans;
using Orleans.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.Api.Endpoints;

/// <summary><c>/v1/ops</c>: operator endpoints. The group requires the operator role; others get 403.</summary>
internal static class OpsEndpoints
{
    public const string GrantFreeCashOperation = "grant_free_cash";

    public static void MapOpsEndpoints(this RouteGroupBuilder ops)
    {
        ops.MapPost("/wallets/{walletId:id}/free-cash", GrantFreeCash)
            .WithTags("Operations")
            .WithName("GrantFreeCash")
            .WithSummary("Grant promotional cash to a wallet, spent first and removed at its expiry")
            .AcceptsJson<GrantFreeCash>()
            .RequiresIdempotencyKey()
            .OnResource();

        ops.MapGet("/cluster", Cluster)
            .WithTags("Operations")
            .WithName("GetCluster")
            .WithSummary("The silos of the cluster with their status and activation counts");
    }

    /// <summary>Orleans' own view: the membership table's silos, with the activation counts of those that answer.</summary>
    private static async Task<Ok<ClusterView>> Cluster(IGrainFactory grains)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        var statistics = active.Length == 0 ? [] : await management.GetRuntimeStatistics(active);
        var activations = active.Zip(statistics, (silo, stats) => (silo, stats.ActivationCount)).ToDictionary(p => p.silo, p => p.ActivationCount);
        return TypedResults.Ok(new ClusterView([.. hosts
            .OrderBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(h => new SiloView(h.SiloAddress.ToParsableString(), h.SiloAddress.Endpoint.ToString(), StatusName(h.Status), activations.GetValueOrDefault(h.SiloAddress)))]));
    }

    /// <summary>The API reference's names: joining, active, shutting_down, dead.</summary>
    private static string StatusName(SiloStatus status) => status switch
    {
        SiloStatus.None or SiloStatus.Created or SiloStatus.Joining => "joining",
        SiloStatus.Active => "active",
        SiloStatus.ShuttingDown or SiloStatus.Stopping => "shutting_down",
        _ => "dead",
    };

    private static async Task<Created<FreeCashGrantView>> GrantFreeCash(string walletId, HttpContext http, IGrainFactory grains)
    {
        var key = IdempotencyHeaders.Read(http.Request);
        var command = MoneyRequests.GrantFreeCash(await JsonBody.ReadAsync(http.Request));
        var outcome = await grains.GetGrain<IWalletGrain>(walletId)
            .GrantFreeCash(http.User.ToCaller(), command, IdempotencyHeaders.For(http, key, GrantFreeCashOperation, command));
        return TypedResults.Created((string?)null, IdempotencyHeaders.Unwrap(http.Response, outcome));
    }
}

public sealed record ClusterView(IReadOnlyList<SiloView> Silos);

/// <param name="Status"><c>joining</c>, <c>active</c>, <c>shutting_down</c> or <c>dead</c>.</param>
public sealed record SiloView(string Id, string Address, string Status, int Activations);
