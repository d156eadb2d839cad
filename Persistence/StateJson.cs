using System.Text.Json;
using System.Text.Json.Serialization;

namespace AdWallet.Persistence;

/// <summary>
/// How grain state is written to the database: System.Text.Json with the project's own contracts (camelCase names,
/// polymorphism by explicit discriminators), never .NET type or assembly names, so stored rows survive renames.
/// </summary>
public static class StateJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static string Serialize(object value, Type type) => JsonSerializer.Serialize(value, type, Options);

    public static T Deserialize<T>(string data) =>
        JsonSerializer.Deserialize<T>(data, Options) ?? throw new JsonException($"Stored {typeof(T).Name} was null.");

    public static object Deserialize(string data, Type type) =>
        JsonSerializer.Deserialize(data, type, Options) ?? throw new JsonException($"Stored {type.Name} was null.");
}
