using AdWallet.Grains;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace AdWallet.Api.Problems;

/// <summary>
/// Turns every exception that leaves an endpoint into a problem answer: the API's own refusals, the grains'
/// refusals, the runtime's "try again" failures, and anything else as a 500 that tells the client nothing.
/// </summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (http.RequestAborted.IsCancellationRequested)
        {
            logger.LogDebug(exception, "The client went away during {Method} {Path}.", http.Request.Method, http.Request.Path);
            return true;
        }

        await ProblemWriter.WriteAsync(http, ProblemFor(http, exception));
        return true;
    }

    private ApiProblem ProblemFor(HttpContext http, Exception exception)
    {
        switch (exception)
        {
            case ApiProblemException refusal:
                return refusal.Problem;
            case DomainException refusal:
                return DomainProblems.From(refusal);
            case TimeoutException or SiloUnavailableException or InconsistentStateException or OrleansMessageRejectionException
                or Orleans.Runtime.Messaging.ConnectionFailedException or StorageUnavailableException or OperationCanceledException:
                logger.LogWarning(exception, "{Method} {Path} could not be served now.", http.Request.Method, http.Request.Path);
                http.Response.Headers.RetryAfter = "1";
                return ApiProblems.Unavailable();
            case BadHttpRequestException badRequest:
                return ApiProblems.ForStatus(badRequest.StatusCode);
            default:
                logger.LogError(exception, "{Method} {Path} failed unexpectedly.", http.Request.Method, http.Request.Path);
                return ApiProblems.InternalError();
        }
    }
}
