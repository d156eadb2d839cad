using System.Text.Json;
using AdWallet.Api.Problems;
using AdWallet.Api.Requests;

namespace AdWallet.Api.Tests;

public sealed class FieldReaderTests
{
    [Fact]
    public void Reads_valid_fields()
    {
        var reader = Reader("""{ "name": "Shop", "amount": 5000, "on": true, "date": "2000-02-29", "at": "2030-01-31T09:00:00+09:00", "list": ["+821012345678"] }""");

        Assert.Equal("Shop", reader.RequiredString("name", TextRule.Name));
        Assert.Equal(5000, reader.RequiredInteger("amount", new IntegerRule(1000, 10_000)));
        Assert.True(reader.RequiredBoolean("on"));
        Assert.Equal(new DateOnly(2000, 2, 29), reader.RequiredDate("date"));
        Assert.Equal(new DateTimeOffset(2030, 1, 31, 9, 0, 0, TimeSpan.FromHours(9)), reader.RequiredDateTime("at"));
        Assert.Equal(["+821012345678"], reader.RequiredStringArray("list", 10, TextRule.Phone));
        reader.ThrowIfInvalid();
    }

    [Fact]
    public void Absent_and_null_optional_fields_are_null()
    {
        var reader = Reader("""{ "b": null }""");

        Assert.Null(reader.OptionalString("a", TextRule.Name));
        Assert.Null(reader.OptionalString("b", TextRule.Name));
        Assert.Null(reader.OptionalInteger("b", new IntegerRule(1, 2)));
        Assert.Null(reader.OptionalBoolean("b"));
        reader.ThrowIfInvalid();
    }

    [Fact]
    public void Names_are_matched_exactly()
    {
        var reader = Reader("""{ "Name": "Shop" }""");

        reader.RequiredString("name", TextRule.Name);

        Assert.Equal(["is required."], Errors(reader)["name"]);
    }

    [Fact]
    public void Collects_every_error()
    {
        var reader = Reader("""{ "a": 1.5, "b": "x", "d": "2001-02-29", "e": [1] }""");

        reader.RequiredInteger("a", new IntegerRule(1, 10));
        reader.RequiredBoolean("b");
        reader.RequiredString("c", TextRule.Name);
        reader.RequiredDate("d");
        reader.RequiredStringArray("e", 5, TextRule.Phone);

        Assert.Equal(["a", "b", "c", "d", "e[0]"], Errors(reader).Keys.Order());
    }

    [Theory]
    [InlineData("9223372036854775807", true)]
    [InlineData("9223372036854775808", false)]
    [InlineData("-9223372036854775809", false)]
    [InlineData("1E2", false)]
    [InlineData("100.0", false)]
    public void Integers_are_json_integers_within_long(string json, bool valid)
    {
        var reader = Reader($$"""{ "n": {{json}} }""");

        reader.RequiredInteger("n", new IntegerRule(long.MinValue, long.MaxValue));

        Assert.Equal(valid, reader.Errors.IsEmpty);
    }

    [Fact]
    public void Steps_are_enforced()
    {
        var rule = new IntegerRule(1000, 100_000_000, 1000);

        Assert.True(rule.Allows(2000));
        Assert.False(rule.Allows(2500));
        Assert.Contains("steps of 1,000", rule.Expectation);
    }

    [Fact]
    public void Errors_become_a_validation_problem()
    {
        var reader = Reader("{}");
        reader.RequiredString("name", TextRule.Name);

        var problem = Assert.Throws<ApiProblemException>(reader.ThrowIfInvalid).Problem;

        Assert.Equal(400, problem.Status);
        Assert.Equal("validation_failed", problem.Code);
        Assert.Equal(["is required."], problem.Errors!["name"]);
    }

    private static FieldReader Reader(string json) => new(JsonDocument.Parse(json).RootElement);

    private static IReadOnlyDictionary<string, string[]> Errors(FieldReader reader) =>
        Assert.Throws<ApiProblemException>(reader.ThrowIfInvalid).Problem.Errors!;
}
