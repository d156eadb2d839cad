using AdWallet.Api.Problems;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace AdWallet.Api.Requests;

/// <summary>
/// The file of a customer-file upload, as a stream: the body itself when it is CSV text, or the one file of a
/// <c>multipart/form-data</c> body. Nothing is buffered here; the caller reads and stores it chunk by chunk.
/// </summary>
public sealed record CustomerFileBody(Stream Content, string? FileName, string? Charset)
{
    /// <summary>Media types CSV files are sent as: spreadsheets on Windows label them application/vnd.ms-excel.</summary>
    private static readonly string[] CsvMediaTypes = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"];

    public static async Task<CustomerFileBody> OpenAsync(HttpRequest request, long maxBytes)
    {
        // The body limit is ours (413 file_too_large, counted on the file's bytes), not the server's default.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
            throw new ApiProblemException(ApiProblems.UnsupportedMediaType("Send the file as text/csv, or as multipart/form-data with one file."));
        if (request.ContentLength > maxBytes && !IsMultipart(mediaType))
            throw new ApiProblemException(ApiProblems.FileTooLarge(maxBytes));
        if (CsvMediaTypes.Any(type => mediaType.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase)))
            return new CustomerFileBody(request.Body, null, mediaType.Charset.Value);
        if (!IsMultipart(mediaType))
            throw new ApiProblemException(ApiProblems.UnsupportedMediaType("Send the file as text/csv, or as multipart/form-data with one file."));

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
            throw new ApiProblemException(ApiProblems.ValidationFailed("file", "The multipart body has no boundary."));
        var reader = new MultipartReader(boundary, request.Body);
        try
        {
            for (var section = await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted); section is not null;
                 section = await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted))
            {
                if (section.GetContentDispositionHeader() is not { } disposition || !disposition.IsFileDisposition()) continue;
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                MediaTypeHeaderValue.TryParse(section.ContentType, out var sectionType);
                return new CustomerFileBody(section.Body, string.IsNullOrWhiteSpace(fileName) ? null : Path.GetFileName(fileName), sectionType?.Charset.Value);
            }
        }
        catch (InvalidDataException exception)
        {
            throw new ApiProblemException(ApiProblems.ValidationFailed("file", $"The multipart body is malformed: {exception.Message}"));
        }
        throw new ApiProblemException(ApiProblems.ValidationFailed("file", "The multipart body has no file."));
    }

    private static bool IsMultipart(MediaTypeHeaderValue mediaType) =>
        mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
}
