using System.Text.Json.Serialization;
using AdWallet.GatewaySimulator.Endpoints;
using AdWallet.GatewaySimulator.Faults;
using AdWallet.GatewaySimulator.Options;
using AdWallet.GatewaySimulator.Payments;
using AdWallet.GatewaySimulator.Problems;
using AdWallet.GatewaySimulator.Storage;
using AdWallet.GatewaySimulator.Webhooks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AdWallet.GatewaySimulator;

/// <summary>The one place the simulator's app is built, for its own process and for in-process hosts alike.</summary>
internal static class GatewaySimulatorApp
{
    public const string DefaultUrl = "http://localhost:5100";

    /// <summary>
    /// Configuration is read once: .NET would otherwise watch the content root, where the data folder lies by default,
    /// and wake on every SQLite write.
    /// </summary>
    private const string NoConfigurationReload = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>
    /// Builds the app; <paramref name="configure"/> runs after the simulator's services are added, so what it registers
    /// wins. The database is opened here, so bad <c>Simulator</c> options stop the start with their keys named.
    /// </summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. args, NoConfigurationReload],
            // Not the entry assembly's name: in an embedded host that is the host's, with its own hosting startups.
            ApplicationName = typeof(GatewaySimulatorApp).Assembly.GetName().Name,
        });
        AddServices(builder.Services);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.Services.GetRequiredService<GatewayDatabase>();
        Map(app);
        return app;
    }

    private static void AddServices(IServiceCollection services)
    {
        services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        // Numbers are numbers: "amount": "1000" is a bad request, as a real gateway's strict parser would say.
        services.Configure<JsonOptions>(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        // A body that does not bind answers 400 without throwing; the status code page writes its problem.
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = false);
        services.AddSingleton<GatewayDatabase>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<PaymentLedger>();
        services.AddSingleton<GatewayFaults>();
        services.AddSingleton(provider => new WebhookTarget(provider.GetRequiredService<IOptions<SimulatorOptions>>(), provider.GetRequiredService<OutboxSignal>()));
        services.TryAddSingleton(_ => new WebhookTransport(handler: null));
        services.AddHostedService<WebhookDispatcher>();
    }

    private static void Map(WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = http => GatewayProblems.InternalError("An unexpected error occurred.").ToResult().ExecuteAsync(http),
        });
        app.UseStatusCodePages(context => GatewayProblems.ForStatus(context.HttpContext.Response.StatusCode).ToResult().ExecuteAsync(context.HttpContext));

        var v1 = app.MapGroup("/v1").AddEndpointFilter<LatencyFilter>().AddEndpointFilter<SecretKeyFilter>();
        v1.MapBillingKeys();
        v1.MapPayments();
        if (app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value.Admin.Enabled)
            app.MapAdmin();

        // Held answers would keep the stop waiting for its whole timeout: a stopping simulator answers them.
        var faults = app.Services.GetRequiredService<GatewayFaults>();
        app.Lifetime.ApplicationStopping.Register(faults.ReleaseHolds);
    }
}
