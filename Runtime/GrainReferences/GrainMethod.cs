using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Granary.Messaging;

namespace Granary.GrainReferences;

/// <summary>
/// A method of a grain interface, prepared once: a compiled invoker for the grain side and the typed result for the
/// caller side. Grain methods return <see cref="Task"/>, <see cref="Task{T}"/>, <see cref="ValueTask"/> or <see cref="ValueTask{T}"/>.
/// </summary>
internal abstract class GrainMethod
{
    private static readonly ConcurrentDictionary<MethodInfo, GrainMethod> s_methods = new();

    protected GrainMethod(MethodInfo method)
    {
        MethodInfo = method;
        AlwaysInterleave = method.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: true);
        Name = $"{method.DeclaringType!.Name}.{method.Name}";
    }

    public MethodInfo MethodInfo { get; }

    public bool AlwaysInterleave { get; }

    public string Name { get; }

    public static GrainMethod For(MethodInfo method) => s_methods.GetOrAdd(method, Create);

    /// <summary>Calls the method on the grain. Runs on the grain's turn.</summary>
    public abstract Task Invoke(object grain, object?[] arguments);

    /// <summary>Sends a call through a reference and returns what the interface method declares.</summary>
    public abstract object Send(GrainReference reference, object?[] arguments);

    public override string ToString() => Name;

    private static GrainMethod Create(MethodInfo method)
    {
        if (method.IsGenericMethodDefinition)
            throw new NotSupportedException($"Grain method {method.DeclaringType!.Name}.{method.Name} is generic; grain methods cannot be.");
        if (method.GetParameters().Any(p => p.ParameterType.IsByRef))
            throw new NotSupportedException($"Grain method {method.DeclaringType!.Name}.{method.Name} has a ref or out parameter; grain methods cannot.");

        var (kind, resultType) = ReturnShape(method);
        var closed = typeof(GrainMethod<>).MakeGenericType(resultType);
        return (GrainMethod)Activator.CreateInstance(closed, method, kind)!;
    }

    private static (ReturnKind Kind, Type ResultType) ReturnShape(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type == typeof(Task)) return (ReturnKind.Task, typeof(object));
        if (type == typeof(ValueTask)) return (ReturnKind.ValueTask, typeof(object));
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>)) return (ReturnKind.TaskOfResult, type.GetGenericArguments()[0]);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>)) return (ReturnKind.ValueTaskOfResult, type.GetGenericArguments()[0]);
        throw new NotSupportedException(
            $"Grain method {method.DeclaringType!.Name}.{method.Name} returns {type.Name}; grain methods return Task, Task<T>, ValueTask or ValueTask<T>.");
    }
}

internal enum ReturnKind
{
    Task,
    TaskOfResult,
    ValueTask,
    ValueTaskOfResult,
}

internal sealed class GrainMethod<TResult> : GrainMethod
{
    private static readonly Task<TResult?> s_completedDefault = Task.FromResult(default(TResult));

    private readonly ReturnKind _kind;
    private readonly Func<object, object?[], Task<TResult>> _invoker;

    public GrainMethod(MethodInfo method, ReturnKind kind) : base(method)
    {
        _kind = kind;
        _invoker = CompileInvoker(method, kind);
    }

    public override Task Invoke(object grain, object?[] arguments) => _invoker(grain, arguments);

    public override object Send(GrainReference reference, object?[] arguments)
    {
        var runtime = reference.Runtime;
        var call = new GrainCall<TResult>(reference.GrainId, this, arguments, RequestContext.CallChain, runtime.Timeouts);
        runtime.SendRequest(call);
        return _kind switch
        {
            ReturnKind.ValueTask => new ValueTask(call.Result),
            ReturnKind.ValueTaskOfResult => new ValueTask<TResult>(call.Result),
            _ => call.Result,
        };
    }

    private static Func<object, object?[], Task<TResult>> CompileInvoker(MethodInfo method, ReturnKind kind)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var parameters = method.GetParameters();
        var call = Expression.Call(
            Expression.Convert(grain, method.DeclaringType!),
            method,
            parameters.Select((p, i) => Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), p.ParameterType)));
        Expression body = kind switch
        {
            ReturnKind.TaskOfResult => call,
            ReturnKind.ValueTaskOfResult => Expression.Call(call, typeof(ValueTask<TResult>).GetMethod(nameof(ValueTask<TResult>.AsTask))!),
            ReturnKind.Task => Expression.Call(typeof(GrainMethod<TResult>).GetMethod(nameof(FromTask), BindingFlags.NonPublic | BindingFlags.Static)!, call),
            _ => Expression.Call(typeof(GrainMethod<TResult>).GetMethod(nameof(FromValueTask), BindingFlags.NonPublic | BindingFlags.Static)!, call),
        };
        return Expression.Lambda<Func<object, object?[], Task<TResult>>>(body, grain, arguments).Compile();
    }

    private static Task<TResult> FromTask(Task task) =>
        task.IsCompletedSuccessfully ? s_completedDefault! : AwaitVoid(task);

    private static Task<TResult> FromValueTask(ValueTask task) =>
        task.IsCompletedSuccessfully ? s_completedDefault! : AwaitVoid(task.AsTask());

    private static async Task<TResult> AwaitVoid(Task task)
    {
        await task.ConfigureAwait(false);
        return default!;
    }
}
