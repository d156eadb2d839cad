using Granary.Storage;

namespace Granary.Sqlite;

/// <summary>
/// Stores a write's items, replacing those of the same key: a snapshot of a busy projection carries many. Rows are
/// applied in order, so an item written twice in one write would keep its last data, as one statement per item did.
/// </summary>
internal sealed class SqliteItemUpsert : SqliteStateRowsInsert<GrainStateItem>
{
    public static readonly SqliteItemUpsert Instance = new();

    private SqliteItemUpsert()
        : base("grain_state_item", ["item_key", "data"],
            "ON CONFLICT (storage_name, state_name, grain_id, item_key) DO UPDATE SET data = excluded.data")
    {
    }

    protected override void BindRow(SqliteStatement statement, int at, GrainStateItem item)
    {
        statement.Bind(at, item.Key);
        statement.Bind(at + 1, item.Data);
    }
}
