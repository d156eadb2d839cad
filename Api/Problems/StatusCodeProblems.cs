using Microsoft.AspNetCore.Diagnostics;

namespace AdWallet.Api.Problems;

/// <summary>Gives a problem body to error statuses set without one: no route (404), no such method (405), and the like.</summary>
internal static class StatusCodeProblems
{
    public static Task WriteAsync(StatusCodeContext context) =>
        ProblemWriter.WriteAsync(context.HttpContext, ApiProblems.ForStatus(context.HttpContext.Response.StatusCode));
}
