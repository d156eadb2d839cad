namespace AdWallet.Api.Problems;

/// <summary>The problems the API itself answers with, one factory each so their codes and wording stay in one place.</summary>
public static class ApiProblems
{
    public static ApiProblem Unauthorized(string detail) =>
        new(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, detail);

    public static ApiProblem Forbidden(string detail) =>
        new(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, detail);

    public static ApiProblem NotFound(string detail = "There is nothing at this address.") =>
        new(StatusCodes.Status404NotFound, ProblemCodes.NotFound, detail);

    public static ApiProblem PayloadTooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge, $"The request body is larger than {maxBytes} bytes.");

    public static ApiProblem FileTooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, ProblemCodes.FileTooLarge, $"The file is larger than {maxBytes} bytes.");

    public static ApiProblem NotCsv() =>
        new(StatusCodes.Status422UnprocessableEntity, ProblemCodes.NotCsv, "The file is not text: a CSV file is expected.");

    public static ApiProblem UndecodableFile() =>
        new(StatusCodes.Status422UnprocessableEntity, ProblemCodes.UndecodableFile, "The file is neither UTF-8 nor CP949 (EUC-KR) text.");

    public static ApiProblem EmptyFile() =>
        new(StatusCodes.Status422UnprocessableEntity, ProblemCodes.EmptyFile, "The file has no rows.");

    public static ApiProblem UnsupportedMediaType(string detail) =>
        new(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType, detail);

    public static ApiProblem InvalidJson(string detail) =>
        new(StatusCodes.Status400BadRequest, ProblemCodes.InvalidJson, detail);

    public static ApiProblem ValidationFailed(IReadOnlyDictionary<string, string[]> errors) =>
        new(StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed, "One or more fields are not valid.", errors);

    public static ApiProblem ValidationFailed(string field, string message) =>
        ValidationFailed(new Dictionary<string, string[]> { [field] = [message] });

    public static ApiProblem IdempotencyKeyRequired() =>
        new(StatusCodes.Status400BadRequest, ProblemCodes.IdempotencyKeyRequired, "This request moves money and needs an Idempotency-Key header.");

    public static ApiProblem Unavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, "The service could not answer in time. Retry the request.");

    public static ApiProblem InternalError() =>
        new(StatusCodes.Status500InternalServerError, ProblemCodes.InternalError, "An unexpected error occurred.");

    /// <summary>The problem for a status set without a body (routing, authorization, the server).</summary>
    public static ApiProblem ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => new(status, ProblemCodes.BadRequest, "The request is not valid."),
        StatusCodes.Status401Unauthorized => Unauthorized("A valid bearer token is required."),
        StatusCodes.Status403Forbidden => Forbidden("The caller may not do this."),
        StatusCodes.Status404NotFound => NotFound(),
        StatusCodes.Status405MethodNotAllowed => new(status, ProblemCodes.MethodNotAllowed, "This address does not answer that method."),
        StatusCodes.Status413PayloadTooLarge => new(status, ProblemCodes.PayloadTooLarge, "The request body is too large."),
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType("The request body's media type is not supported."),
        StatusCodes.Status503ServiceUnavailable => Unavailable(),
        >= 500 => new(status, ProblemCodes.InternalError, "An unexpected error occurred."),
        _ => new(status, ProblemCodes.BadRequest, "The request could not be served."),
    };
}
