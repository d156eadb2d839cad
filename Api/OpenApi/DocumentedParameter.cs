using Microsoft.OpenApi;

namespace AdWallet.Api.OpenApi;

/// <summary>
/// Endpoint metadata for a query or header parameter the endpoint reads by hand, so that the OpenAPI document still
/// lists it. <see cref="OpenApiTransformers"/> turns it into an operation parameter.
/// </summary>
public sealed record DocumentedParameter(string Name, ParameterLocation In, JsonSchemaType Type, bool Required, string Description);
