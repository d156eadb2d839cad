using System.Text;

namespace AdWallet.Api.Tests;

/// <summary>A request to send: method, path, JSON body (or a body of <see cref="ContentType"/>) and, for money-moving POSTs, an Idempotency-Key.</summary>
public sealed record ApiRequest(HttpMethod Method, string Path, string? Json = null, string? IdempotencyKey = null)
{
    /// <summary>The media type of the body; JSON unless set.</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>A POST of a CSV file.</summary>
    public static ApiRequest PostCsv(string path, string csv) => new(HttpMethod.Post, path, csv) { ContentType = "text/csv" };

    public static ApiRequest Get(string path) => new(HttpMethod.Get, path);

    public static ApiRequest Delete(string path) => new(HttpMethod.Delete, path);

    public static ApiRequest Post(string path, string? json = null) => new(HttpMethod.Post, path, json);

    public static ApiRequest Put(string path, string json) => new(HttpMethod.Put, path, json);

    public static ApiRequest Patch(string path, string json) => new(HttpMethod.Patch, path, json);

    /// <summary>A money-moving POST with a key of its own.</summary>
    public static ApiRequest PostMoney(string path, string json) => new(HttpMethod.Post, path, json, Guid.NewGuid().ToString("N"));

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        if (Json is not null) message.Content = new StringContent(Json, Encoding.UTF8, ContentType);
        if (IdempotencyKey is not null) message.Headers.Add("Idempotency-Key", IdempotencyKey);
        return message;
    }

    public async Task<HttpResponseMessage> SendWith(HttpClient client)
    {
        using var message = ToMessage();
        return await client.SendAsync(message);
    }

    public override string ToString() => $"{Method} {Path}";
}
