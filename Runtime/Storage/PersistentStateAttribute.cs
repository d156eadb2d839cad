namespace Granary;

/// <summary>
/// Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/> or
/// <see cref="IJournaledState{TState, TEntry}"/>: the runtime creates it and reads it before <c>OnActivateAsync</c>.
/// </summary>
/// <param name="stateName">The name of the state; a grain may have several.</param>
/// <param name="storageName">The storage provider; <c>Default</c> when omitted.</param>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    public string StateName { get; } = stateName;

    public string StorageName { get; } = storageName ?? Storage.StorageNames.Default;
}
