namespace AdWallet.Api.Problems;

/// <summary>
/// The stable <c>code</c>s of problems the API raises itself. Refusals by grains carry the codes of
/// <see cref="AdWallet.Grains.ErrorCodes"/>; clients rely on both lists, so add codes, never rename one.
/// </summary>
public static class ProblemCodes
{
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string InvalidJson = "invalid_json";
    public const string ValidationFailed = "validation_failed";
    public const string IdempotencyKeyRequired = "idempotency_key_required";
    public const string BadRequest = "bad_request";
    public const string Unavailable = "unavailable";
    public const string InternalError = "internal_error";
    public const string InvalidSignature = "invalid_signature";
    public const string FileTooLarge = "file_too_large";
    public const string NotCsv = "not_csv";
    public const string UndecodableFile = "undecodable_file";
    public const string EmptyFile = "empty_file";
}
