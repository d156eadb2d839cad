using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace AdWallet.GatewaySimulator.Tests;

/// <summary>A webhook as the receiver got it.</summary>
public sealed record Delivery(string Body, string Timestamp, string Signature)
{
    public JsonElement Event => JsonDocument.Parse(Body).RootElement;

    public string EventId => Event.GetProperty("eventId").GetString()!;

    public string Type => Event.GetProperty("type").GetString()!;

    public string OrderId => Event.GetProperty("data").GetProperty("orderId").GetString()!;
}

/// <summary>
/// A merchant's webhook endpoint on an in-memory TestServer: the simulator delivers into <see cref="Handler"/>. It can
/// refuse the first attempts (500), and lets tests await a number of accepted deliveries instead of sleeping.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public static readonly Uri Url = new("http://receiver.test/webhooks");

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<Delivery> _accepted = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _attempts;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>How many attempts answer 500 before the receiver accepts.</summary>
    public int FailFirst { get; set; }

    public int Attempts
    {
        get
        {
            lock (_lock)
                return _attempts;
        }
    }

    public IReadOnlyList<Delivery> Accepted
    {
        get
        {
            lock (_lock)
                return [.. _accepted];
        }
    }

    public HttpMessageHandler Handler => _app.GetTestServer().CreateHandler();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost(Url.AbsolutePath, receiver.ReceiveAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Completes once at least <paramref name="count"/> deliveries have been accepted; fails the test after 10 s.</summary>
    public Task WaitForAsync(int count)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_accepted.Count >= count)
                return Task.CompletedTask;
            _waiters.Add((count, signal));
        }
        return signal.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        lock (_lock)
        {
            _attempts++;
            if (_attempts <= FailFirst)
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            _accepted.Add(new Delivery(body, request.Headers["Gateway-Timestamp"].ToString(), request.Headers["Gateway-Signature"].ToString()));
            foreach (var waiter in _waiters.Where(w => _accepted.Count >= w.Count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Signal.TrySetResult();
            }
        }
        return Results.Ok();
    }
}
