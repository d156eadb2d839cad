using System.Text.Json;
using Granary.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Networking;

/// <summary>What every connection of a process shares: the options, the JSON options for arguments and results, the log.</summary>
internal sealed class TransportContext(IOptions<TransportOptions> options, IServiceProvider services, ILogger<SiloConnection> logger)
{
    public TransportOptions Options { get; } = options.Value;

    /// <summary>
    /// The grain state serializer's options: grain references travel as <c>"type/key"</c> and come back as references of
    /// this process's grain factory. Resolved on first use, as the factory depends on the runtime that uses the transport.
    /// </summary>
    public JsonSerializerOptions Json => field ??= services.GetRequiredService<GrainStateSerializer>().Options;

    public JsonWriterOptions JsonWriterOptions => new() { Encoder = Json.Encoder, SkipValidation = true };

    public ILogger Logger { get; } = logger;
}
