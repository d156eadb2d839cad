namespace Granary.Storage;

public static class StorageNames
{
    /// <summary>The provider used by <c>[PersistentState]</c> when no storage name is given.</summary>
    public const string Default = "Default";
}
