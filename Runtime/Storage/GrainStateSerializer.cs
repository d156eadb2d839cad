using System.Text.Json;
using System.Text.Json.Serialization;

namespace Granary.Storage;

/// <summary>Serializes grain state for storage as JSON. Grain references in state are stored as grain ids.</summary>
public sealed class GrainStateSerializer
{
    private readonly JsonSerializerOptions _options;

    internal GrainStateSerializer(JsonConverter grainReferenceConverter)
    {
        _options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { grainReferenceConverter, new JsonStringEnumConverter() },
        };
    }

    /// <summary>The options, for other JSON that carries grain references (calls between silos).</summary>
    internal JsonSerializerOptions Options => _options;

    public string Serialize<T>(T value) => JsonSerializer.Serialize(value, _options);

    public string Serialize(object value, Type type) => JsonSerializer.Serialize(value, type, _options);

    public object Deserialize(string data, Type type) =>
        JsonSerializer.Deserialize(data, type, _options) ?? throw new JsonException($"Stored {type.Name} was null.");

    public T Deserialize<T>(string data) =>
        JsonSerializer.Deserialize<T>(data, _options) ?? throw new JsonException($"Stored {typeof(T).Name} was null.");
}
