using AdWallet.Api.Problems;
using AdWallet.Api.Requests;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace AdWallet.Api.Auth;

/// <summary>
/// Bearer authentication as the API reference (docs/api.md) describes it, answering 401 <c>unauthorized</c> and 403 <c>forbidden</c> as
/// problem details. The key is resolved once, from configuration or the data folder.
/// </summary>
public static class AuthenticationSetup
{
    public static IServiceCollection AddPlatformAuthentication(this IServiceCollection services)
    {
        services.AddSingleton(sp => SigningKeyStore.Resolve(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => AuthOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<Idempotency.RequestHash>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKey, AuthOptions>((bearer, key, auth) =>
            {
                // Keep claim names as they are in the token: "sub" stays "sub", not a SOAP URI.
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = TokenValidation.Parameters(key, auth.Issuer);
                bearer.Events = new JwtBearerEvents
                {
                    OnMessageReceived = ReadDashboardCookie,
                    OnTokenValidated = RequireUserIdSubject,
                    OnChallenge = WriteUnauthorized,
                    OnForbidden = WriteForbidden,
                };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(PlatformClaims.OperatorPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(PlatformClaims.OperatorRole));
        return services;
    }

    private static Task RequireUserIdSubject(TokenValidatedContext context)
    {
        var subjects = context.Principal?.FindAll(PlatformClaims.Subject).ToList() ?? [];
        if (subjects.Count != 1 || !Formats.IsUserId(subjects[0].Value))
            context.Fail("The token's sub is not a user id (1 to 64 characters of A-Z, a-z, 0-9, _ and -).");
        return Task.CompletedTask;
    }

    private static Task ReadDashboardCookie(MessageReceivedContext context)
    {
        context.Token ??= Dashboard.DashboardAccess.TokenFromCookie(context.Request);
        return Task.CompletedTask;
    }

    private static async Task WriteUnauthorized(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        if (Dashboard.DashboardAccess.IsBrowserNavigation(context.Request))
        {
            context.Response.Redirect(Dashboard.DashboardAccess.SignInPath);
            return;
        }
        var (detail, header) = context.AuthenticateFailure switch
        {
            null => ("A bearer token is required.", "Bearer"),
            SecurityTokenExpiredException => ("The token has expired.", "Bearer error=\"invalid_token\""),
            _ => ("The token is not valid.", "Bearer error=\"invalid_token\""),
        };
        context.Response.Headers.WWWAuthenticate = header;
        await ProblemWriter.WriteAsync(context.HttpContext, ApiProblems.Unauthorized(detail));
    }

    private static Task WriteForbidden(ForbiddenContext context) =>
        ProblemWriter.WriteAsync(context.HttpContext, ApiProblems.Forbidden("This endpoint is for operators."));
}
