using AdWallet.Api.Idempotency;
using AdWallet.Api.OpenApi;
using Microsoft.OpenApi;

namespace AdWallet.Api.Endpoints;

/// <summary>
/// OpenAPI metadata shared by endpoints. Bodies, query strings and the Idempotency-Key header are read by hand (see
/// Requests/ and Idempotency/), so their shapes and the problems reading them can raise are declared here.
/// </summary>
internal static class EndpointConventions
{
    public const string Json = "application/json";

    /// <summary>A JSON body of <typeparamref name="TBody"/>: 400 (invalid_json, validation_failed), 413 and 415.</summary>
    public static RouteHandlerBuilder AcceptsJson<TBody>(this RouteHandlerBuilder endpoint) where TBody : notnull =>
        endpoint.Accepts<TBody>(Json)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    /// <summary>A resource the caller may not see (404) or not change this way (403).</summary>
    public static RouteHandlerBuilder OnResource(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>A money-moving POST: the Idempotency-Key header is required, and a key reused for another body is a 422.</summary>
    public static RouteHandlerBuilder RequiresIdempotencyKey(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new DocumentedParameter(IdempotencyHeaders.Key, ParameterLocation.Header, JsonSchemaType.String, Required: true,
                "1 to 255 printable ASCII characters. A replay with the same key and body returns the original answer with Idempotent-Replayed: true."))
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>A page, newest first: <c>limit</c> (1–200, default 50) and <c>cursor</c>.</summary>
    public static RouteHandlerBuilder Paged(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(
                new DocumentedParameter("limit", ParameterLocation.Query, JsonSchemaType.Integer, Required: false, "Items per page, 1 to 200 (default 50)."),
                new DocumentedParameter("cursor", ParameterLocation.Query, JsonSchemaType.String, Required: false, "The nextCursor of the previous page."))
            .ProducesValidationProblem();

    public static RouteHandlerBuilder WithQueryParameter(this RouteHandlerBuilder endpoint, string name, string description) =>
        endpoint.WithMetadata(new DocumentedParameter(name, ParameterLocation.Query, JsonSchemaType.String, Required: false, description));
}
