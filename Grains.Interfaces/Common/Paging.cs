using Orleans;

namespace AdWallet.Grains;

/// <summary>A page request: newest first, <see cref="Limit"/> items after <see cref="Cursor"/>.</summary>
[GenerateSerializer, Alias("adwallet.PageRequest")]
public sealed record PageRequest([property: Id(0)] int Limit = PageRequest.DefaultLimit, [property: Id(1)] string? Cursor = null)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
}

/// <summary>A page of items, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
[GenerateSerializer, Alias("adwallet.Page`1")]
public sealed record Page<T>([property: Id(0)] IReadOnlyList<T> Items, [property: Id(1)] string? NextCursor);
