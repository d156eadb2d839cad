using System.Net;
using System.Text.Json;

namespace AdWallet.Api.Tests;

public static class ProblemAssert
{
    /// <summary>Asserts an RFC 9457 answer with the status and code given, and returns its body.</summary>
    public static async Task<JsonElement> IsProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("detail").GetString()));
        return body;
    }

    /// <summary>Asserts a 400 validation_failed naming exactly these fields among its errors (others may be named too when <paramref name="only"/> is false).</summary>
    public static async Task<JsonElement> IsValidationProblem(HttpResponseMessage response, params string[] fields) =>
        await IsValidationProblem(response, only: true, fields);

    public static async Task<JsonElement> IsValidationProblem(HttpResponseMessage response, bool only, params string[] fields)
    {
        var body = await IsProblem(response, HttpStatusCode.BadRequest, "validation_failed");
        var named = body.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var field in fields)
            Assert.True(named.Contains(field), $"Expected an error for '{field}'; errors name {string.Join(", ", named)}.");
        if (only)
            Assert.True(named.SetEquals(fields), $"Expected errors for exactly {string.Join(", ", fields)}; errors name {string.Join(", ", named)}.");
        return body;
    }
}
