using System.Text.Json;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// One charge as a JSON array of its fields, in a fixed order: no property names, times as UTC ticks, and the usual
/// payment reference without the charge id it ends with. Charges make up most of what a wallet stores, and this is
/// about a third of their size as objects and as much faster to write. The charge table of old snapshots
/// (<see cref="ChargeTableJsonConverter"/>) stores charges so, and so does a charge stored as an item
/// (<see cref="ChargeItem"/>), which begins with the charge's ordinal.
/// </summary>
internal static class ChargeJsonArray
{
    public static void Write(Utf8JsonWriter writer, ChargeRecord charge, bool withOrdinal)
    {
        writer.WriteStartArray();
        if (withOrdinal) writer.WriteNumberValue(charge.Ordinal);
        writer.WriteStringValue(charge.Id);
        writer.WriteNumberValue(charge.Amount);
        writer.WriteStringValue(charge.Method);
        WriteNullable(writer, charge.CardId);
        writer.WriteStringValue(ShortReference(charge.Reference, charge.Id));
        writer.WriteStringValue(charge.RequestHash);
        writer.WriteStringValue(charge.Status);
        WriteNullable(writer, charge.Code);
        WriteNullable(writer, charge.CaptureId);
        // Wallet times come from TimeProvider.GetUtcNow, so UTC ticks keep them exactly.
        writer.WriteNumberValue(charge.CreatedAt.UtcTicks);
        writer.WriteNumberValue(charge.Remaining);
        writer.WriteNumberValue(charge.Refunded);
        writer.WriteNumberValue(charge.DuplicatesRefunded);
        writer.WriteNumberValue(charge.FreeAfter);
        writer.WriteNumberValue(charge.PaidAfter);
        writer.WriteEndArray();
    }

    /// <summary>Reads the charge whose array starts at the reader's token, up to its end.</summary>
    public static ChargeRecord Read(ref Utf8JsonReader reader, bool withOrdinal)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("A charge is an array of its fields.");
        var ordinal = withOrdinal ? Int32(ref reader) : 0;
        var id = String(ref reader)!;
        var charge = new ChargeRecord
        {
            Id = id,
            Ordinal = ordinal,
            Amount = Int64(ref reader),
            Method = String(ref reader)!,
            CardId = String(ref reader),
            Reference = FullReference(String(ref reader)!, id),
            RequestHash = String(ref reader)!,
            Status = String(ref reader)!,
            Code = String(ref reader),
            CaptureId = String(ref reader),
            CreatedAt = new DateTimeOffset(Int64(ref reader), TimeSpan.Zero),
            Remaining = Int64(ref reader),
            Refunded = Int64(ref reader),
            DuplicatesRefunded = Int64(ref reader),
            FreeAfter = Int64(ref reader),
            PaidAfter = Int64(ref reader),
        };
        if (Next(ref reader) != JsonTokenType.EndArray) throw new JsonException($"Charge {charge.Id} has more fields than a charge.");
        return charge;
    }

    /// <summary>The next token; the JSON may not end before the charges do.</summary>
    public static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("The charges end too early.");

    /// <summary>
    /// A payment reference is the wallet's id, a slash and the charge id: the charge id is not written twice. (Another
    /// reference that ended with a slash would read back with the charge id added; references never do.)
    /// </summary>
    private static string ShortReference(string reference, string chargeId) =>
        reference.Length > chargeId.Length && reference.EndsWith(chargeId, StringComparison.Ordinal) && reference[^(chargeId.Length + 1)] == '/'
            ? reference[..^chargeId.Length]
            : reference;

    private static string FullReference(string stored, string chargeId) => stored.EndsWith('/') ? stored + chargeId : stored;

    private static void WriteNullable(Utf8JsonWriter writer, string? value)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value);
    }

    private static string? String(ref Utf8JsonReader reader) => Next(ref reader) switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        var token => throw new JsonException($"Expected a string in a charge, found {token}."),
    };

    private static long Int64(ref Utf8JsonReader reader) =>
        Next(ref reader) == JsonTokenType.Number ? reader.GetInt64() : throw new JsonException("Expected a number in a charge.");

    private static int Int32(ref Utf8JsonReader reader) =>
        Next(ref reader) == JsonTokenType.Number ? reader.GetInt32() : throw new JsonException("Expected a number in a charge.");
}
