using System.Text.Json;
using System.Text.Json.Serialization;

namespace Granary.GrainReferences;

/// <summary>
/// Lets grain references be stored in grain state: a reference is written as its grain id, <c>"type/key"</c>, and
/// read back as a live reference of the declared interface.
/// </summary>
internal sealed class GrainReferenceJsonConverterFactory(Func<GrainFactory> grainFactory) : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsInterface && typeof(IAddressable).IsAssignableFrom(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert), grainFactory)!;

    private sealed class Converter<TGrainInterface>(Func<GrainFactory> grainFactory) : JsonConverter<TGrainInterface>
        where TGrainInterface : class, IAddressable
    {
        public override TGrainInterface? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            var grainId = GrainId.Parse(reader.GetString() ?? throw new JsonException("A grain reference must be a string."));
            return (TGrainInterface)grainFactory().GetGrain(typeof(TGrainInterface), grainId);
        }

        public override void Write(Utf8JsonWriter writer, TGrainInterface value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.GetGrainId().ToString());
    }
}
