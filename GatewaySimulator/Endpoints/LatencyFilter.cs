using AdWallet.GatewaySimulator.Faults;

namespace AdWallet.GatewaySimulator.Endpoints;

/// <summary>The <c>latencyMs</c> fault: a wait before every <c>/v1</c> answer, in real time.</summary>
internal sealed class LatencyFilter(GatewayFaults faults) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (faults.Standing.LatencyMs is > 0 and var latency)
            await Task.Delay(latency, context.HttpContext.RequestAborted);
        return await next(context);
    }
}
