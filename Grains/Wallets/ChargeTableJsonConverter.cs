using System.Text.Json;
using System.Text.Json.Serialization;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// Stores a wallet's charges in its snapshot as one array per charge (<see cref="ChargeJsonArray"/>), in the table's
/// order. Snapshots written as an object of records still read.
/// </summary>
internal sealed class ChargeTableJsonConverter : JsonConverter<Dictionary<string, ChargeRecord>>
{
    public override Dictionary<string, ChargeRecord> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
            return JsonSerializer.Deserialize<Dictionary<string, ChargeRecord>>(ref reader, options) ?? [];
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("Charges are an array of charges.");

        var charges = new Dictionary<string, ChargeRecord>();
        while (ChargeJsonArray.Next(ref reader) != JsonTokenType.EndArray)
        {
            var charge = ChargeJsonArray.Read(ref reader, withOrdinal: false);
            charges.Add(charge.Id, charge);
        }
        return charges;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, ChargeRecord> charges, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var charge in charges.Values) ChargeJsonArray.Write(writer, charge, withOrdinal: false);
        writer.WriteEndArray();
    }
}
