using AdWallet.Api.Auth;
using AdWallet.Api.Dashboard;

namespace AdWallet.Api.Endpoints;

/// <summary>Every <c>/v1</c> endpoint: all need a bearer token, and <c>/v1/ops</c> the operator role.</summary>
internal static class ApiRoutes
{
    public static void MapV1(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        v1.MapUserEndpoints();
        v1.MapWalletEndpoints();
        v1.MapBusinessInfoRequestEndpoints();
        v1.MapChargeEndpoints();
        v1.MapLedgerEndpoints();
        v1.MapRefundEndpoints();
        v1.MapCardEndpoints();
        v1.MapChannelEndpoints();
        v1.MapCustomerFileEndpoints();
        v1.MapAdAccountEndpoints();
        v1.MapCampaignEndpoints();
        v1.MapPaymentWebhookEndpoints();

        var ops = v1.MapGroup("/ops")
            .RequireAuthorization(PlatformClaims.OperatorPolicy)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        ops.MapOpsEndpoints();
        ops.MapReconciliationEndpoints();
        ops.MapBusinessInfoReviewEndpoints();
        ops.MapDashboardSession();
    }
}
