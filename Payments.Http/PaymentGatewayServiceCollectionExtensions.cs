using AdWallet.Grains.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace AdWallet.Payments.Http;

public static class PaymentGatewayServiceCollectionExtensions
{
    /// <summary>
    /// The payment gateway over HTTP at <c>Payments:GatewayUrl</c>, with the resilience pipeline that makes it safe to
    /// call from grains: a total timeout, retries of failed attempts (every call but a card registration is keyed at
    /// the gateway, so a repeat cannot pay twice), a circuit breaker, and a timeout per attempt.
    /// </summary>
    public static IServiceCollection AddHttpPaymentGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPaymentGatewayOptions(configuration);
        services.TryAddSingleton<PaymentGatewayAddress>();
        services.AddTransient<GatewayAttempts.Observer>();
        var client = services.AddHttpClient<IPaymentGateway, HttpPaymentGateway>(HttpPaymentGateway.HttpClientName, (provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<PaymentGatewayOptions>>().Value;
                http.BaseAddress = options.GatewayUrl ?? provider.GetRequiredService<PaymentGatewayAddress>().Url
                    ?? throw new InvalidOperationException($"{PaymentGatewayOptions.SectionName}:{nameof(options.GatewayUrl)} is not set.");
                http.DefaultRequestHeaders.Authorization = GatewayAuthorization.Basic(options.GatewaySecretKey);
                // The pipeline's own timeouts govern; HttpClient's would cut the retries short.
                http.Timeout = Timeout.InfiniteTimeSpan;
            });
        client.AddResilienceHandler(HttpPaymentGateway.HttpClientName, (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<PaymentGatewayOptions>>().Value;
                // Network time, not the platform's clock: tests move the platform's clock by hand, and a retry's delay
                // or an attempt's timeout must still pass.
                pipeline.TimeProvider = TimeProvider.System;
                pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.TotalTimeout });
                if (options.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        Delay = TimeSpan.FromMilliseconds(200),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldHandle = arguments => IsRepeatable(arguments.Outcome.Result?.RequestMessage ?? arguments.Context.GetRequestMessage())
                            ? HttpClientResiliencePredicates.IsTransient(arguments.Outcome)
                                ? PredicateResult.True()
                                : PredicateResult.False()
                            : PredicateResult.False(),
                    });
                }
                pipeline
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        SamplingDuration = options.AttemptTimeout * 2 > TimeSpan.FromSeconds(10) ? options.AttemptTimeout * 2 : TimeSpan.FromSeconds(10),
                        MinimumThroughput = 20,
                        FailureRatio = 0.5,
                        BreakDuration = TimeSpan.FromSeconds(5),
                    })
                    .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.AttemptTimeout });
            });
        // Inside the pipeline, so that it sees every attempt.
        client.AddHttpMessageHandler<GatewayAttempts.Observer>();
        return services;
    }

    /// <summary>The gateway's address, keys and timeouts (section <c>Payments</c>), checked at start.</summary>
    public static IServiceCollection AddPaymentGatewayOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaymentGatewayOptions>().Bind(configuration.GetSection(PaymentGatewayOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PaymentGatewayOptions>, PaymentGatewayOptionsValidator>());
        return services;
    }

    /// <summary>Every call is keyed at the gateway except a card registration, which would register the card twice.</summary>
    private static bool IsRepeatable(HttpRequestMessage? request) =>
        request?.RequestUri is { } uri && !uri.OriginalString.Contains("billing-keys", StringComparison.Ordinal);
}
