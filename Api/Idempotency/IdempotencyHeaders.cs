using AdWallet.Api.Problems;
using AdWallet.Grains;

namespace AdWallet.Api.Idempotency;

/// <summary>The <c>Idempotency-Key</c> a money-moving POST requires, and the <c>Idempotent-Replayed</c> mark on a replay.</summary>
public static class IdempotencyHeaders
{
    public const string Key = "Idempotency-Key";
    public const string Replayed = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    /// <summary>
    /// The key with the hash of the validated command it came with, so that the grain can tell a replay (same hash)
    /// from a reuse of the key for something else (422 <c>idempotency_key_reused</c>).
    /// </summary>
    public static IdempotencyKey For<TCommand>(HttpContext http, string key, string operation, TCommand command) =>
        new(key, http.RequestServices.GetRequiredService<RequestHash>().Compute(operation, command));

    /// <summary>1–255 printable ASCII characters (0x21–0x7E, spaces only inside). Missing: 400 <c>idempotency_key_required</c>.</summary>
    public static string Read(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Key, out var values) || values.Count == 0)
            throw new ApiProblemException(ApiProblems.IdempotencyKeyRequired());
        if (values.Count > 1)
            throw new ApiProblemException(ApiProblems.ValidationFailed(Key, "must be given once."));
        var key = values[0] ?? "";
        if (!IsValid(key))
            throw new ApiProblemException(ApiProblems.ValidationFailed(Key, "must be 1 to 255 printable ASCII characters, with spaces only inside."));
        return key;
    }

    public static bool IsValid(string key) =>
        key.Length is >= 1 and <= MaxKeyLength
        && key.All(c => c is >= ' ' and <= '~')
        && key[0] != ' '
        && key[^1] != ' ';

    /// <summary>The outcome's value; a stored answer to an earlier request is marked with <c>Idempotent-Replayed: true</c>.</summary>
    public static T Unwrap<T>(HttpResponse response, Idempotent<T> outcome)
    {
        if (outcome.Replayed)
            response.Headers[Replayed] = "true";
        return outcome.Value;
    }
}
