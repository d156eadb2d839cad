namespace AdWallet.GatewaySimulator.Storage;

/// <summary>
/// The simulator's tables. Every statement is idempotent, so the schema is applied at each start. Times are Unix
/// milliseconds, which compare and page as integers.
/// </summary>
internal static class GatewaySchema
{
    public const string Script = """
        CREATE TABLE IF NOT EXISTS billing_keys (
            billing_key   TEXT PRIMARY KEY,
            behaviour     TEXT NOT NULL,   -- what a payment with this key answers: 'approve' or a decline code
            brand         TEXT NOT NULL,
            last4         TEXT NOT NULL,   -- never the card number
            expiry        TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL
        );

        CREATE TABLE IF NOT EXISTS payments (
            sequence         INTEGER PRIMARY KEY AUTOINCREMENT,   -- capture order, the key of listing pages
            payment_key      TEXT NOT NULL UNIQUE,
            order_id         TEXT NOT NULL,                       -- not unique: duplicate_capture makes two
            amount           INTEGER NOT NULL,
            cancelled_amount INTEGER NOT NULL DEFAULT 0,
            method           TEXT NOT NULL,
            approved_at_ms   INTEGER NOT NULL,
            card_brand       TEXT NULL,
            card_last4       TEXT NULL,
            metadata_json    TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_payments_order_id ON payments (order_id);
        CREATE INDEX IF NOT EXISTS ix_payments_approved_at ON payments (approved_at_ms);

        CREATE TABLE IF NOT EXISTS cancels (
            cancel_id       TEXT PRIMARY KEY,
            payment_key     TEXT NOT NULL REFERENCES payments (payment_key),
            amount          INTEGER NOT NULL,
            reason          TEXT NOT NULL,
            cancelled_at_ms INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_cancels_payment_key ON cancels (payment_key);

        CREATE TABLE IF NOT EXISTS webhook_outbox (
            sequence           INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id           TEXT NOT NULL UNIQUE,
            body               TEXT NOT NULL,
            next_attempt_at_ms INTEGER NOT NULL,
            attempts           INTEGER NOT NULL DEFAULT 0,
            delivered          INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS ix_webhook_outbox_due ON webhook_outbox (delivered, next_attempt_at_ms);
        """;
}
