using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Granary.GrainReferences;
using Granary.Messaging;

namespace Granary.Networking;

/// <summary>
/// How the calls of one grain method travel: the method's key on the wire (its interface's type name, resolvable with
/// <see cref="Type.GetType(string)"/> in every process, its name and parameter types), its arguments as JSON each by its
/// declared parameter type, and its result as JSON by the method's result type. Prepared once per method, both ways.
/// </summary>
internal abstract class MethodCodec
{
    private static readonly ConcurrentDictionary<GrainMethod, MethodCodec> s_byMethod = new();
    private static readonly ConcurrentDictionary<byte[], MethodCodec> s_byKey = new(ByteKeyComparer.Instance);
    private static readonly ConcurrentDictionary<byte[], MethodCodec>.AlternateLookup<ReadOnlySpan<byte>> s_byKeySpan =
        s_byKey.GetAlternateLookup<ReadOnlySpan<byte>>();

    private readonly Type[] _parameterTypes;

    protected MethodCodec(GrainMethod method)
    {
        Method = method;
        _parameterTypes = [.. method.MethodInfo.GetParameters().Select(p => p.ParameterType)];
        Key = Encoding.UTF8.GetBytes(KeyOf(method.MethodInfo));
    }

    public GrainMethod Method { get; }

    /// <summary>The method's identity on the wire, UTF-8.</summary>
    public byte[] Key { get; }

    public static MethodCodec For(GrainMethod method) => s_byMethod.GetOrAdd(method, Create);

    /// <summary>The codec of the method a received call names; throws when this process does not know it.</summary>
    public static MethodCodec ForKey(ReadOnlySpan<byte> key)
    {
        if (s_byKeySpan.TryGetValue(key, out var codec)) return codec;
        codec = For(GrainMethod.For(Resolve(Encoding.UTF8.GetString(key))));
        s_byKey.TryAdd(codec.Key, codec);
        return codec;
    }

    public void WriteArguments(FrameBuffer buffer, Utf8JsonWriter json, object?[] arguments, JsonSerializerOptions options)
    {
        buffer.WriteInt32(_parameterTypes.Length);
        for (var i = 0; i < _parameterTypes.Length; i++)
        {
            var position = buffer.ReserveInt32();
            json.Reset(buffer);
            JsonSerializer.Serialize(json, arguments[i], _parameterTypes[i], options);
            json.Flush();
            buffer.PatchLength(position);
        }
    }

    public object?[] ReadArguments(ref FrameReader reader, JsonSerializerOptions options)
    {
        var count = reader.ReadInt32();
        if (count != _parameterTypes.Length)
            throw new InvalidDataException($"{Method} takes {_parameterTypes.Length} arguments; the call carried {count}.");
        var arguments = count == 0 ? [] : new object?[count];
        for (var i = 0; i < count; i++)
            arguments[i] = JsonSerializer.Deserialize(reader.ReadBytes(), _parameterTypes[i], options);
        return arguments;
    }

    /// <summary>A local call of this method, for a call that came from another silo.</summary>
    public abstract GrainCall CreateCall(GrainId target, object?[] arguments, CallChain? callChain, ResponseTimeouts timeouts);

    /// <summary>What the caller of a call of this method awaits.</summary>
    public abstract Task ResultOf(GrainCall call);

    /// <summary>Writes the result of a call that completed successfully.</summary>
    public abstract void WriteResult(Utf8JsonWriter json, GrainCall call, JsonSerializerOptions options);

    /// <summary>Completes a call sent to another silo with the result it answered.</summary>
    public abstract void SetResult(GrainCall call, ReadOnlySpan<byte> json, JsonSerializerOptions options);

    public override string ToString() => Method.ToString();

    internal static string KeyOf(MethodInfo method) =>
        $"{TypeName(method.DeclaringType!)}|{method.Name}({string.Join(",", method.GetParameters().Select(p => p.ParameterType.FullName))})";

    private static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    private static MethodInfo Resolve(string key)
    {
        var bar = key.IndexOf('|');
        var type = bar > 0 ? Type.GetType(key[..bar], throwOnError: false) : null;
        if (type is null || !type.IsInterface || !typeof(IAddressable).IsAssignableFrom(type))
            throw new InvalidOperationException($"The grain interface of {key} is not known in this process.");
        return type.GetMethods().FirstOrDefault(m => KeyOf(m) == key)
            ?? throw new InvalidOperationException($"The grain method {key} is not known in this process.");
    }

    private static MethodCodec Create(GrainMethod method)
    {
        var resultType = method.GetType().GetGenericArguments()[0];
        return (MethodCodec)Activator.CreateInstance(typeof(MethodCodec<>).MakeGenericType(resultType), method)!;
    }
}

internal sealed class MethodCodec<TResult>(GrainMethod method) : MethodCodec(method)
{
    private readonly GrainMethod<TResult> _method = (GrainMethod<TResult>)method;

    public override GrainCall CreateCall(GrainId target, object?[] arguments, CallChain? callChain, ResponseTimeouts timeouts) =>
        new GrainCall<TResult>(target, _method, arguments, callChain, timeouts);

    public override Task ResultOf(GrainCall call) => ((GrainCall<TResult>)call).Result;

    public override void WriteResult(Utf8JsonWriter json, GrainCall call, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(json, ((GrainCall<TResult>)call).Result.Result, options);

    public override void SetResult(GrainCall call, ReadOnlySpan<byte> json, JsonSerializerOptions options) =>
        ((GrainCall<TResult>)call).SetResult(JsonSerializer.Deserialize<TResult>(json, options)!);
}
