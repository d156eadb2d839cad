using System.Text.Json.Nodes;
using AdWallet.Grains.Wallets;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AdWallet.Api.OpenApi;

/// <summary>
/// What the generated document cannot see: the bearer scheme on every authorized operation, the parameters endpoints
/// read by hand, the <c>code</c> of every problem, and the fixed values of the request bodies' enum fields.
/// </summary>
internal static class OpenApiTransformers
{
    public const string BearerScheme = "Bearer";

    private static readonly Dictionary<(Type Body, string Field), IReadOnlyList<string>> EnumFields = new()
    {
        [(typeof(CreateWallet), "kind")] = WalletKinds.All,
        [(typeof(ChargeCommand), "method")] = PaymentMethods.All,
        [(typeof(AddCard), "kind")] = CardKinds.All,
    };

    public static OpenApiOptions AddPlatformTransformers(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "AdWallet API";
            document.Info.Version = "v1";
            AddBearerScheme(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any() && context.Document is { } document)
            {
                AddBearerScheme(document);
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
            }
            foreach (var parameter in metadata.OfType<DocumentedParameter>())
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = parameter.Name,
                    In = parameter.In,
                    Required = parameter.Required,
                    Description = parameter.Description,
                    Schema = new OpenApiSchema { Type = parameter.Type },
                });
            }
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
            {
                schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
                schema.Properties["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The stable, snake_case code of the problem." };
            }
            if (context.JsonPropertyInfo is { DeclaringType: var body, Name: var field } && EnumFields.TryGetValue((body, field), out var values))
                schema.Enum = [.. values.Select(value => (JsonNode)JsonValue.Create(value))];
            return Task.CompletedTask;
        });
        return options;
    }

    private static void AddBearerScheme(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes.TryAdd(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An HS256 token whose sub is the user id; role = operator for /v1/ops.",
        });
    }
}
