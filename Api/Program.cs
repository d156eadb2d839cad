using System.Text.Json.Serialization;
using AdWallet.Api.Auth;
using AdWallet.Api.Dashboard;
using AdWallet.Api.Endpoints;
using AdWallet.Api.Health;
using AdWallet.Api.OpenApi;
using AdWallet.Api.Payments;
using AdWallet.Api.Problems;
using AdWallet.Api.Requests;
using AdWallet.Payments.Http;
using AdWallet.Silo;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;

// `dotnet run --project Api -- token alice [--operator]` prints a token and exits; the server does not start.
if (args is [TokenCommand.Name, .. var tokenArgs])
    return TokenCommand.Run(tokenArgs, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(HostArguments.WithoutConfigurationReload(args));
builder.UsePlatformGrains();
builder.Services.AddPaymentGatewayOptions(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.AddPlatformAuthentication();
// Nothing the API issues is protected with data protection (tokens are JWTs): its keys stay in memory rather than
// being written, with a warning, to the home folder.
builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
builder.Services.Configure<RouteOptions>(routes => routes.SetParameterPolicy<OpaqueIdRouteConstraint>(OpaqueIdRouteConstraint.Name));
// Numbers are numbers: the default of reading them from strings too would also show in the OpenAPI schemas.
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
builder.Services.AddOpenApi(options => options.AddPlatformTransformers());
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddHealthChecks().AddCheck<SiloReadinessCheck>("silo", tags: ["ready"]);

var app = builder.Build();

// Resolve the signing key now: a bad Auth:SigningKey stops the start, and a first start makes the data-folder key.
var signingKey = app.Services.GetRequiredService<SigningKey>();
app.Logger.LogInformation("Tokens are checked with the signing key from {Source}.", signingKey.Source);

app.UseExceptionHandler();
app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApi();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
app.MapV1();
app.MapPlatformDashboard();
app.SendEmbeddedGatewayWebhooksHere();
app.Run();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
