namespace AdWallet.Persistence.Sqlite;

/// <summary>
/// Stores a write's items, replacing those of the same collection and key: a busy projection hands over many. Rows are
/// applied in order, so an item written twice in one write keeps its last data.
/// </summary>
internal sealed class SqliteItemUpsert : SqliteStateRowsInsert<StateItemRecord>
{
    public static readonly SqliteItemUpsert Instance = new();

    private SqliteItemUpsert()
        : base("grain_state_item", ["collection", "item_key", "sequence", "data"],
            "ON CONFLICT (storage_name, state_name, grain_id, collection, item_key) DO UPDATE SET sequence = excluded.sequence, data = excluded.data")
    {
    }

    protected override void BindRow(SqliteStatement statement, int at, StateItemRecord item)
    {
        statement.Bind(at, item.Collection);
        statement.Bind(at + 1, item.Key);
        statement.Bind(at + 2, item.Sequence);
        statement.Bind(at + 3, item.Data);
    }
}
