using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;

namespace Granary.Networking;

/// <summary>
/// Carries exceptions between silos as JSON: the type, the message, the public properties of simple types the type
/// adds (a domain exception's <c>Code</c>), <see cref="Exception.Data"/>, the stack trace and the inner exception. The
/// receiving side rebuilds the original type when it can load it and find a constructor whose parameters are those
/// properties and <c>message</c>; otherwise it gives a <see cref="RemoteGrainException"/> with the type name and message.
/// </summary>
internal static class ExceptionCodec
{
    private const int MaxDepth = 4;

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> s_properties = new();

    public static void Write(Utf8JsonWriter json, Exception exception, JsonSerializerOptions options, int depth = 0)
    {
        var type = exception.GetType();
        json.WriteStartObject();
        json.WriteString("type", $"{type.FullName}, {type.Assembly.GetName().Name}");
        json.WriteString("message", exception.Message);
        if (exception.StackTrace is { } stackTrace) json.WriteString("stackTrace", stackTrace);

        json.WriteStartObject("properties");
        foreach (var property in PropertiesOf(type))
        {
            object? value;
            try
            {
                value = property.GetValue(exception);
            }
            catch (TargetInvocationException)
            {
                continue;
            }
            json.WritePropertyName(property.Name);
            JsonSerializer.Serialize(json, value, property.PropertyType, options);
        }
        json.WriteEndObject();

        json.WriteStartArray("data");
        foreach (DictionaryEntry entry in exception.Data)
        {
            if (entry.Key is not string key || entry.Value is { } value && !IsSimple(value.GetType())) continue;
            json.WriteStartObject();
            json.WriteString("key", key);
            if (entry.Value is { } v)
            {
                json.WriteString("type", $"{v.GetType().FullName}, {v.GetType().Assembly.GetName().Name}");
                json.WritePropertyName("value");
                JsonSerializer.Serialize(json, v, v.GetType(), options);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();

        if (exception.InnerException is { } inner && depth < MaxDepth)
        {
            json.WritePropertyName("inner");
            Write(json, inner, options, depth + 1);
        }
        json.WriteEndObject();
    }

    public static Exception Read(ReadOnlySpan<byte> utf8, JsonSerializerOptions options)
    {
        var reader = new Utf8JsonReader(utf8);
        using var document = JsonDocument.ParseValue(ref reader);
        return Read(document.RootElement, options);
    }

    private static Exception Read(JsonElement element, JsonSerializerOptions options)
    {
        var typeName = element.GetProperty("type").GetString() ?? "";
        var message = element.GetProperty("message").GetString() ?? "";
        var inner = element.TryGetProperty("inner", out var innerElement) ? Read(innerElement, options) : null;
        var properties = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.GetProperty("properties").EnumerateObject()) properties[property.Name] = property.Value;

        var exception = Rebuild(typeName, message, inner, properties, options);
        foreach (var entry in element.GetProperty("data").EnumerateArray())
        {
            var key = entry.GetProperty("key").GetString()!;
            exception.Data[key] = entry.TryGetProperty("value", out var value) ? DataValue(entry.GetProperty("type").GetString(), value, options) : null;
        }
        if (element.TryGetProperty("stackTrace", out var stackTrace) && stackTrace.GetString() is { Length: > 0 } trace)
        {
            try
            {
                ExceptionDispatchInfo.SetRemoteStackTrace(exception, trace);
            }
            catch (InvalidOperationException)
            {
                // The exception was thrown already (a constructor that throws and catches); it keeps its own trace.
            }
        }
        return exception;
    }

    private static Exception Rebuild(string typeName, string message, Exception? inner, Dictionary<string, JsonElement> properties, JsonSerializerOptions options)
    {
        var type = Type.GetType(typeName, throwOnError: false);
        var shortName = typeName.Split(',')[0];
        if (type is null || !typeof(Exception).IsAssignableFrom(type) || type.IsAbstract)
            return new RemoteGrainException(shortName, message);

        // ArgumentException appends " (Parameter 'name')" to the message it is given; give it the message without.
        if (typeof(ArgumentException).IsAssignableFrom(type)
            && properties.TryGetValue(nameof(ArgumentException.ParamName), out var paramName)
            && paramName.ValueKind == JsonValueKind.String
            && message.EndsWith($" (Parameter '{paramName.GetString()}')", StringComparison.Ordinal))
            message = message[..^$" (Parameter '{paramName.GetString()}')".Length];

        foreach (var (constructor, arguments) in Candidates(type, message, inner, properties, options))
        {
            try
            {
                var exception = (Exception)constructor.Invoke(arguments);
                SetRemainingProperties(exception, constructor, properties, options);
                return exception;
            }
            catch (Exception exception) when (exception is TargetInvocationException or ArgumentException or JsonException or NotSupportedException)
            {
                // Try the next constructor.
            }
        }
        return new RemoteGrainException(shortName, message);
    }

    /// <summary>Constructors that can be called from what was carried, those that carry over the most first.</summary>
    private static IEnumerable<(ConstructorInfo Constructor, object?[] Arguments)> Candidates(
        Type type, string message, Exception? inner, Dictionary<string, JsonElement> properties, JsonSerializerOptions options)
    {
        var candidates = new List<(ConstructorInfo, object?[], int Score)>();
        foreach (var constructor in type.GetConstructors())
        {
            var parameters = constructor.GetParameters();
            var arguments = new object?[parameters.Length];
            var score = 0;
            var usable = true;
            for (var i = 0; i < parameters.Length && usable; i++)
            {
                var parameter = parameters[i];
                if (parameter.ParameterType == typeof(string) && string.Equals(parameter.Name, "message", StringComparison.OrdinalIgnoreCase))
                {
                    arguments[i] = message;
                    score++;
                }
                else if (typeof(Exception).IsAssignableFrom(parameter.ParameterType) && parameter.ParameterType.IsInstanceOfType(inner))
                {
                    arguments[i] = inner;
                    score++;
                }
                else if (parameter.Name is { } name && properties.TryGetValue(name, out var value) && TryDeserialize(value, parameter.ParameterType, options, out var argument))
                {
                    arguments[i] = argument;
                    score++;
                }
                else if (typeof(Exception).IsAssignableFrom(parameter.ParameterType) && inner is null)
                    arguments[i] = null;
                else if (parameter.HasDefaultValue)
                    arguments[i] = parameter.DefaultValue;
                else
                    usable = false;
            }
            if (usable) candidates.Add((constructor, arguments, score));
        }
        return candidates.OrderByDescending(c => c.Score).ThenByDescending(c => c.Item1.GetParameters().Length).Select(c => (c.Item1, c.Item2));
    }

    private static void SetRemainingProperties(Exception exception, ConstructorInfo constructor, Dictionary<string, JsonElement> properties, JsonSerializerOptions options)
    {
        var passed = constructor.GetParameters().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var property in PropertiesOf(exception.GetType()))
        {
            if (passed.Contains(property.Name) || property.SetMethod is not { IsPublic: true }) continue;
            if (properties.TryGetValue(property.Name, out var value) && TryDeserialize(value, property.PropertyType, options, out var deserialized))
                property.SetValue(exception, deserialized);
        }
    }

    private static bool TryDeserialize(JsonElement value, Type type, JsonSerializerOptions options, out object? result)
    {
        try
        {
            result = value.Deserialize(type, options);
            return true;
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            result = null;
            return false;
        }
    }

    private static object? DataValue(string? typeName, JsonElement value, JsonSerializerOptions options)
    {
        var type = typeName is null ? null : Type.GetType(typeName, throwOnError: false);
        return type is not null && IsSimple(type) && TryDeserialize(value, type, options, out var result) ? result : value.ToString();
    }

    /// <summary>The public properties a type adds to <see cref="Exception"/>, of types that travel as plain JSON values.</summary>
    private static PropertyInfo[] PropertiesOf(Type type) => s_properties.GetOrAdd(type, static type =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.DeclaringType != typeof(Exception) && p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && IsSimple(p.PropertyType))]);

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) return type.GetArrayRank() == 1 && IsSimple(type.GetElementType()!);
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(DateOnly) || type == typeof(TimeOnly);
    }
}
