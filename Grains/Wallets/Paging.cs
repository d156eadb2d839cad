using System.Globalization;

namespace AdWallet.Grains;

/// <summary>Cursors are positions in a grain's own ordering, given to clients as opaque text.</summary>
internal static class Paging
{
    public static string Cursor(long position) => position.ToString(CultureInfo.InvariantCulture);

    public static long? ParseCursor(string? cursor)
    {
        if (cursor is null) return null;
        if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position > 0) return position;
        throw new DomainException(ErrorCodes.ValidationFailed, "The cursor is not one this list gave out.");
    }

    /// <summary>A page of stored items read newest first, one more than the page asked for; the cursor is the last item's sequence.</summary>
    public static Page<TView> Page<TItem, TView>(IReadOnlyList<AdWallet.Persistence.StoredItem<TItem>> items, PageRequest page, Func<TItem, TView> view) =>
        new([.. items.Take(page.Limit).Select(item => view(item.Value))], items.Count > page.Limit ? Cursor(items[page.Limit - 1].Sequence) : null);

    /// <summary>A page of an in-memory list kept oldest first, read newest first; the cursor is a 1-based position.</summary>
    public static Page<TView> NewestFirst<TItem, TView>(IReadOnlyList<TItem> oldestFirst, PageRequest page, Func<TItem, TView> view)
    {
        var before = ParseCursor(page.Cursor) ?? oldestFirst.Count + 1;
        var end = (int)Math.Min(before - 1, oldestFirst.Count);
        var start = Math.Max(0, end - page.Limit);
        var items = new List<TView>(end - start);
        for (var i = end - 1; i >= start; i--) items.Add(view(oldestFirst[i]));
        return new Page<TView>(items, start > 0 ? Cursor(start + 1) : null);
    }
}
