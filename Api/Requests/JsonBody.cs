using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using AdWallet.Api.Problems;
using Microsoft.Net.Http.Headers;

namespace AdWallet.Api.Requests;

/// <summary>
/// Reads a request's JSON body ourselves rather than through minimal-API binding, so that every failure answers in
/// the API's problem shape: not JSON (415), too large (413), not parseable (400 <c>invalid_json</c>), not an object
/// (400 <c>validation_failed</c>).
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        MaxDepth = 32,
        // {"amount": 1000, "amount": 5000} has no single meaning: refuse it rather than pick one.
        AllowDuplicateProperties = false,
    };

    public static async Task<FieldReader> ReadAsync(HttpRequest request)
    {
        RequireJsonContentType(request);
        var body = await ReadObjectAsync(request);
        return new FieldReader(body);
    }

    private static void RequireJsonContentType(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
            throw new ApiProblemException(ApiProblems.UnsupportedMediaType("The body must be JSON, with Content-Type: application/json."));
        var isJson = mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.Type.Equals("application", StringComparison.OrdinalIgnoreCase)
                && mediaType.SubType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        var charset = mediaType.Charset;
        if (!isJson || (charset.HasValue && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
            throw new ApiProblemException(ApiProblems.UnsupportedMediaType("The body must be UTF-8 JSON, with Content-Type: application/json."));
    }

    private static async Task<JsonElement> ReadObjectAsync(HttpRequest request) => Parse(await ReadBytesAsync(request));

    /// <summary>The body's bytes, at most <see cref="MaxBytes"/> (413 beyond), for a caller that must see them as sent.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes)
            throw new ApiProblemException(ApiProblems.PayloadTooLarge(MaxBytes));

        // One byte more than allowed tells a body at the limit from one beyond it, whatever Content-Length said.
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= MaxBytes
                && (read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBytes + 1 - length), request.HttpContext.RequestAborted)) > 0)
                length += read;
            if (length > MaxBytes)
                throw new ApiProblemException(ApiProblems.PayloadTooLarge(MaxBytes));
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static JsonElement Parse(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Span.StartsWith("\uFEFF"u8))
            utf8 = utf8[3..];
        if (utf8.IsEmpty)
            throw new ApiProblemException(ApiProblems.InvalidJson("The body is empty; a JSON object is expected."));
        // The JSON reader checks the bytes of a string only when it is read; check them all now.
        if (!Utf8.IsValid(utf8.Span))
            throw new ApiProblemException(ApiProblems.InvalidJson("The body is not valid UTF-8."));

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(utf8, ParseOptions);
            root = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new ApiProblemException(ApiProblems.InvalidJson($"The body is not valid JSON: {exception.Message}"));
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw new ApiProblemException(ApiProblems.ValidationFailed("body", "must be a JSON object."));
        return root;
    }
}
