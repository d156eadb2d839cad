using System.Net;
using System.Text.Json;

namespace AdWallet.Cluster.Tests;

/// <summary>A definite answer of the API: its status and JSON body, and what it took to get it.</summary>
public sealed record Answer(string Request, HttpStatusCode Status, string Body, bool Replayed, int Attempts, TimeSpan Took)
{
    public int StatusCode => (int)Status;

    public JsonElement Json => Body.Length == 0 ? default : JsonDocument.Parse(Body).RootElement;

    /// <summary>The problem's <c>code</c>, or null.</summary>
    public string? Code => Body.Length > 0 && Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("code", out var code) ? code.GetString() : null;

    public override string ToString() => $"{Request} -> {StatusCode} after {Attempts} attempt(s), {Took.TotalSeconds:0.0} s: {Body}";
}
