using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace AdWallet.Api.Problems;

/// <summary>
/// Writes RFC 9457 problem details: <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, the stable <c>code</c>
/// and, for validation failures, <c>errors</c>. Written directly rather than through IProblemDetailsService, whose
/// writer stays silent when the client's Accept header does not name JSON.
/// </summary>
public static class ProblemWriter
{
    public const string ContentType = "application/problem+json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ProblemDetails ToProblemDetails(ApiProblem problem)
    {
        ProblemDetails details = problem.Errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(problem.Errors.ToDictionary(e => e.Key, e => e.Value));
        details.Type = TypeFor(problem.Status);
        details.Title = TitleFor(problem.Status);
        details.Status = problem.Status;
        details.Detail = problem.Detail;
        details.Extensions["code"] = problem.Code;
        return details;
    }

    public static async Task WriteAsync(HttpContext http, ApiProblem problem)
    {
        http.Response.StatusCode = problem.Status;
        var details = ToProblemDetails(problem);
        // Serialized as its runtime type so that HttpValidationProblemDetails keeps its errors.
        await http.Response.WriteAsJsonAsync(details, details.GetType(), Json, ContentType, http.RequestAborted);
    }

    private static string TypeFor(int status) => status switch
    {
        400 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        401 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
        402 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.3",
        403 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
        404 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        405 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6",
        409 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        413 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        415 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
        422 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
        500 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1",
        503 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        _ => "about:blank",
    };

    private static string TitleFor(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error",
    };
}
