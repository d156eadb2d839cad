using System.Text.Json;
using AdWallet.Api.Problems;
using AdWallet.Grains;
using Orleans.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace AdWallet.Api.Tests;

public sealed class ExceptionMappingTests
{
    [Theory]
    [InlineData(typeof(TimeoutException))]
    [InlineData(typeof(SiloUnavailableException))]
    public async Task The_runtimes_try_again_failures_are_503_unavailable(Type exceptionType)
    {
        var exception = (Exception)Activator.CreateInstance(exceptionType, "The silo did not answer.")!;

        var (http, body) = await Handle(exception);

        Assert.Equal(503, http.Response.StatusCode);
        Assert.Equal("unavailable", body.GetProperty("code").GetString());
        Assert.Equal("1", http.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task An_unexpected_exception_is_500_and_tells_nothing()
    {
        var (http, body) = await Handle(new InvalidOperationException("secret internals at /srv/db"));

        Assert.Equal(500, http.Response.StatusCode);
        Assert.Equal("internal_error", body.GetProperty("code").GetString());
        Assert.DoesNotContain("secret", body.ToString());
    }

    [Fact]
    public async Task A_domain_refusal_keeps_its_code_and_message()
    {
        var (http, body) = await Handle(new DomainException(ErrorCodes.NegativeBalance, "Refunds wait until the negative balance is paid off."));

        Assert.Equal(409, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        Assert.Equal("negative_balance", body.GetProperty("code").GetString());
        Assert.Equal("Refunds wait until the negative balance is paid off.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Nothing_is_written_for_a_client_that_went_away()
    {
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        var http = new DefaultHttpContext { RequestAborted = aborted.Token };
        http.Response.Body = new MemoryStream();

        var handled = await new ApiExceptionHandler(NullLogger<ApiExceptionHandler>.Instance).TryHandleAsync(http, new OperationCanceledException(), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(0, http.Response.Body.Length);
    }

    private static async Task<(HttpContext Http, JsonElement Body)> Handle(Exception exception)
    {
        var http = new DefaultHttpContext();
        var body = new MemoryStream();
        http.Response.Body = body;

        Assert.True(await new ApiExceptionHandler(NullLogger<ApiExceptionHandler>.Instance).TryHandleAsync(http, exception, CancellationToken.None));

        return (http, JsonDocument.Parse(body.ToArray()).RootElement);
    }
}
