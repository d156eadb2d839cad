using Orleans;
using Orleans.Runtime;

namespace AdWallet.Persistence;

/// <summary>
/// Marks a grain constructor parameter of type <see cref="IJournaledState{TState, TEvent}"/>. Orleans creates it through
/// its facet system (as it does <c>[PersistentState]</c>) and reads it before <c>OnActivateAsync</c>.
/// </summary>
/// <param name="stateName">The name of the state; a grain may have several.</param>
/// <param name="storageName">The <see cref="IJournalStorage"/> provider, a keyed service; <c>Default</c> when omitted.</param>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class JournaledStateAttribute(string stateName, string? storageName = null) : Attribute, IFacetMetadata
{
    public string StateName { get; } = stateName;

    public string StorageName { get; } = storageName ?? JournalStorageNames.Default;
}

public static class JournalStorageNames
{
    /// <summary>The provider of states that name none; the same name as Orleans' default grain storage.</summary>
    public const string Default = "Default";
}
