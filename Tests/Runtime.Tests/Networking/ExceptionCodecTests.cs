using System.Text;
using System.Text.Json;
using Granary.Networking;

namespace Granary.Tests.Networking;

public sealed class ExceptionCodecTests
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    [Fact]
    public void An_exception_type_this_process_cannot_load_becomes_a_remote_grain_exception()
    {
        var json = """{"type":"Elsewhere.PaymentDeclinedException, Elsewhere.Grains","message":"Card declined.","properties":{"code":"DECLINED"},"data":[{"key":"attempt","type":"System.Int32, System.Private.CoreLib","value":2}]}""";

        var error = Assert.IsType<RemoteGrainException>(ExceptionCodec.Read(Encoding.UTF8.GetBytes(json), Options));

        Assert.Equal("Elsewhere.PaymentDeclinedException", error.OriginalTypeName);
        Assert.Equal("Card declined.", error.Message);
        Assert.Equal(2, error.Data["attempt"]);
    }

    [Fact]
    public void A_domain_exception_round_trips_through_its_code_and_message_constructor()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) ExceptionCodec.Write(writer, new CodedException("CAMPAIGN_ENDED", "The campaign has ended."), Options);

        var error = Assert.IsType<CodedException>(ExceptionCodec.Read(stream.ToArray(), Options));

        Assert.Equal(("CAMPAIGN_ENDED", "The campaign has ended."), (error.Code, error.Message));
    }
}
