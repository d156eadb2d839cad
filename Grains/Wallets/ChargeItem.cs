using System.Text.Json;
using System.Text.Json.Serialization;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// A charge as the wallet stores it, as one of its state's items: an array of its fields that begins with its ordinal
/// (<see cref="ChargeJsonArray"/>). Items written as an object of the record's properties still read.
/// </summary>
[JsonConverter(typeof(ChargeItemJsonConverter))]
internal sealed record ChargeItem(ChargeRecord Charge);

internal sealed class ChargeItemJsonConverter : JsonConverter<ChargeItem>
{
    public override ChargeItem Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.TokenType == JsonTokenType.StartObject
            ? JsonSerializer.Deserialize<ChargeRecord>(ref reader, options) ?? throw new JsonException("A stored charge was null.")
            : ChargeJsonArray.Read(ref reader, withOrdinal: true));

    public override void Write(Utf8JsonWriter writer, ChargeItem item, JsonSerializerOptions options) =>
        ChargeJsonArray.Write(writer, item.Charge, withOrdinal: true);
}
