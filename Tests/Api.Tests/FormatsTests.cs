using AdWallet.Api.Requests;

namespace AdWallet.Api.Tests;

public sealed class FormatsTests
{
    [Theory]
    [InlineData("4242424242424242")]
    [InlineData("4000000000000002")]
    [InlineData("4000000000009995")]
    [InlineData("4000000000000069")]
    [InlineData("4000000000000341")]
    [InlineData("4000000000000119")]
    [InlineData("378282246310005")]
    [InlineData("6011111111111117")]
    public void The_gateways_test_cards_are_card_numbers(string number) => Assert.True(Formats.IsCardNumber(number));

    [Theory]
    [InlineData("4242424242424241")]
    [InlineData("42424242")]
    [InlineData("42424242424242424242")]
    [InlineData("4242-4242-4242-4242")]
    [InlineData("4242424242424242\n")]
    [InlineData("")]
    public void Other_strings_are_not(string number) => Assert.False(Formats.IsCardNumber(number));

    [Theory]
    [InlineData("alice", true)]
    [InlineData("A-z_09", true)]
    [InlineData("", false)]
    [InlineData("alice\n", false)]
    [InlineData("al ice", false)]
    [InlineData("алиса", false)]
    public void User_ids(string value, bool valid) => Assert.Equal(valid, Formats.IsUserId(value));

    [Fact]
    public void A_user_id_has_at_most_64_characters()
    {
        Assert.True(Formats.IsUserId(new string('a', 64)));
        Assert.False(Formats.IsUserId(new string('a', 65)));
    }

    [Theory]
    [InlineData("+821012345678", true)]
    [InlineData("+12345678", true)]
    [InlineData("+123456789012345", true)]
    [InlineData("+1234567", false)]
    [InlineData("+1234567890123456", false)]
    [InlineData("821012345678", false)]
    [InlineData("+82 10 1234 5678", false)]
    public void Phones(string value, bool valid) => Assert.Equal(valid, Formats.IsPhone(value));

    [Theory]
    [InlineData("01/30", true)]
    [InlineData("12/99", true)]
    [InlineData("00/30", false)]
    [InlineData("13/30", false)]
    [InlineData("1/30", false)]
    [InlineData("01/2030", false)]
    public void Card_expiries(string value, bool valid) => Assert.Equal(valid, Formats.IsCardExpiry(value));

    [Theory]
    [InlineData("tax@example.com", true)]
    [InlineData("a.b+c@mail.example.co.kr", true)]
    [InlineData("no-at.example.com", false)]
    [InlineData("two@@example.com", false)]
    [InlineData("nodot@example", false)]
    [InlineData("space @example.com", false)]
    [InlineData("a@b.", false)]
    public void Emails(string value, bool valid) => Assert.Equal(valid, Formats.IsEmail(value));

    [Theory]
    [InlineData("1234567890", true)]
    [InlineData("123456789", false)]
    [InlineData("12345678901", false)]
    [InlineData("123-45-67890", false)]
    public void Business_registration_numbers(string value, bool valid) => Assert.Equal(valid, Formats.IsBusinessRegistrationNumber(value));
}
