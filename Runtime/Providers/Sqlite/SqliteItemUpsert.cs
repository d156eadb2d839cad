using Granary.Storage;
using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>
/// Stores a write's items, replacing those of the same key: a snapshot of a busy projection carries many. Rows are
/// applied in order, so an item written twice in one write would keep its last data, as one statement per item did.
/// </summary>
internal sealed class SqliteItemUpsert : SqliteStateRowsInsert<GrainStateItem>
{
    public static readonly SqliteItemUpsert Instance = new();

    private SqliteItemUpsert()
        : base("grain_state_item", [("item_key", SqliteType.Text), ("data", SqliteType.Text)],
            "ON CONFLICT (storage_name, state_name, grain_id, item_key) DO UPDATE SET data = excluded.data")
    {
    }

    protected override void BindRow(SqliteParameterCollection parameters, int at, GrainStateItem item)
    {
        parameters[at].Value = item.Key;
        parameters[at + 1].Value = item.Data;
    }
}
