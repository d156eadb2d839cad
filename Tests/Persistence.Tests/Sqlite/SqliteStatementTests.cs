using AdWallet.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace AdWallet.Persistence.Tests.Sqlite;

/// <summary>The writer's raw statements: values bound by position, failures reported, the statement usable again.</summary>
public sealed class SqliteStatementTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SqliteStatementTests()
    {
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText = "CREATE TABLE row (number INTEGER NOT NULL, text TEXT NULL)";
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void Values_bound_by_position_are_stored_including_nulls_empty_texts_and_any_characters()
    {
        using var statement = new SqliteStatement(_connection, "INSERT INTO row (number, text) VALUES (?1, ?2), (?1, ?3), (?4, ?5)");
        statement.Bind(1, 7);
        statement.Bind(2, null);
        statement.Bind(3, "");
        statement.Bind(4, long.MaxValue);
        statement.Bind(5, "원 \"quoted\" \u0001");
        statement.Execute();

        Assert.Equal(["7|<null>", "7|", $"{long.MaxValue}|원 \"quoted\" \u0001"], Rows());
    }

    [Fact]
    public void A_failed_run_throws_and_the_statement_runs_again_afterwards()
    {
        using var statement = new SqliteStatement(_connection, "INSERT INTO row (number, text) VALUES (?1, ?2)");
        statement.Bind(1, null);
        statement.Bind(2, "refused");
        var failure = Assert.Throws<SqliteException>(statement.Execute);
        Assert.Equal(19, failure.SqliteErrorCode); // SQLITE_CONSTRAINT

        statement.Bind(1, 1);
        statement.Bind(2, "kept");
        statement.Execute();
        Assert.Equal(["1|kept"], Rows());
    }

    [Fact]
    public void A_statement_that_returns_rows_or_does_not_compile_is_refused()
    {
        using var query = new SqliteStatement(_connection, "SELECT 1");
        Assert.Throws<InvalidOperationException>(query.Execute);
        Assert.Throws<SqliteException>(() => new SqliteStatement(_connection, "INSERT INTO missing VALUES (?1)"));
    }

    private List<string> Rows()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT number, text FROM row ORDER BY rowid";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add($"{reader.GetInt64(0)}|{(reader.IsDBNull(1) ? "<null>" : reader.GetString(1))}");
        return rows;
    }
}
