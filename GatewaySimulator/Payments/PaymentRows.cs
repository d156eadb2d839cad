using System.Text.Json;
using AdWallet.GatewaySimulator.Contracts;
using AdWallet.GatewaySimulator.Storage;
using Microsoft.Data.Sqlite;

namespace AdWallet.GatewaySimulator.Payments;

/// <summary>Reads payments, with their cancels, as the gateway shows them. Works on the writer and on readers alike.</summary>
internal static class PaymentRows
{
    private const string Columns =
        "sequence, payment_key, order_id, amount, cancelled_amount, method, approved_at_ms, card_brand, card_last4, metadata_json";

    public static PaymentView? ByKey(SqliteConnection connection, string paymentKey) =>
        Select(connection, "WHERE payment_key = $key", ("$key", paymentKey)).FirstOrDefault();

    public static List<PaymentView> ByOrderId(SqliteConnection connection, string orderId) =>
        Select(connection, "WHERE order_id = $orderId ORDER BY sequence", ("$orderId", orderId));

    public static long? SequenceOf(SqliteConnection connection, string paymentKey) =>
        connection.Scalar("SELECT sequence FROM payments WHERE payment_key = $key", ("$key", paymentKey));

    /// <summary>One page in capture order; <paramref name="afterSequence"/> is the keyset cursor.</summary>
    public static List<PaymentView> Page(SqliteConnection connection, PaymentQuery query, long afterSequence, int take) =>
        Select(
            connection,
            """
            WHERE sequence > $after
              AND ($prefix IS NULL OR substr(order_id, 1, length($prefix)) = $prefix)
              AND ($from IS NULL OR approved_at_ms >= $from)
              AND ($to IS NULL OR approved_at_ms < $to)
            ORDER BY sequence LIMIT $take
            """,
            ("$after", afterSequence),
            ("$prefix", query.OrderIdPrefix),
            ("$from", query.From?.ToUnixTimeMilliseconds()),
            ("$to", query.To?.ToUnixTimeMilliseconds()),
            ("$take", take));

    private static List<PaymentView> Select(SqliteConnection connection, string clauses, params ReadOnlySpan<(string, object?)> parameters)
    {
        var rows = connection.Query(Row, $"SELECT {Columns} FROM payments {clauses}", parameters);
        return [.. rows.Select(row => row with { Cancels = CancelsOf(connection, row.PaymentKey) })];
    }

    private static PaymentView Row(SqliteDataReader reader)
    {
        var amount = reader.GetInt64(3);
        var cancelled = reader.GetInt64(4);
        var brand = reader.NullableString(7);
        var last4 = reader.NullableString(8);
        var metadataJson = reader.NullableString(9);
        return new PaymentView(
            PaymentKey: reader.GetString(1),
            OrderId: reader.GetString(2),
            Amount: amount,
            CancelledAmount: cancelled,
            Method: reader.GetString(5),
            Status: Status(amount, cancelled),
            ApprovedAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
            Card: Card(brand, last4),
            Metadata: metadataJson is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(metadataJson) ?? [],
            Cancels: []);
    }

    /// <summary>A payment just inserted, as a look-up would read it back: nothing cancelled yet.</summary>
    public static PaymentView Inserted(string paymentKey, PaymentOrder order, long approvedAtMs, string? brand, string? last4) =>
        new(paymentKey, order.OrderId, order.Amount, CancelledAmount: 0, order.Method, Status(order.Amount, cancelled: 0),
            DateTimeOffset.FromUnixTimeMilliseconds(approvedAtMs), Card(brand, last4), order.Metadata, Cancels: []);

    private static string Status(long amount, long cancelled) => cancelled == 0 ? "DONE" : cancelled < amount ? "PARTIAL_CANCELED" : "CANCELED";

    private static CardView? Card(string? brand, string? last4) => brand is null || last4 is null ? null : new CardView(brand, last4);

    private static List<CancelView> CancelsOf(SqliteConnection connection, string paymentKey) =>
        connection.Query(
            reader => new CancelView(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))),
            "SELECT cancel_id, amount, reason, cancelled_at_ms FROM cancels WHERE payment_key = $key ORDER BY rowid",
            ("$key", paymentKey));
}
