using System.Collections.Frozen;

namespace AdWallet.GatewaySimulator.Faults;

/// <summary>A fault that the next payment request takes (see docs/gateway.md, Faults).</summary>
public enum CaptureFault
{
    /// <summary>500, nothing captured.</summary>
    ErrorBeforeCapture,

    /// <summary>Captures, then answers 500.</summary>
    ErrorAfterCapture,

    /// <summary>Captures, then answers only after <see cref="StandingFaults.AnswerDelayMs"/>.</summary>
    AnswerAfterTimeout,

    /// <summary>Captures, then holds the answer until the holds are released.</summary>
    HoldAfterCapture,

    /// <summary>Captures the payment twice: two payment keys for one order id.</summary>
    DuplicateCapture,
}

/// <summary>The wire names of <see cref="CaptureFault"/>.</summary>
public static class CaptureFaultNames
{
    private static readonly FrozenDictionary<string, CaptureFault> ByName = new Dictionary<string, CaptureFault>
    {
        ["error_before_capture"] = CaptureFault.ErrorBeforeCapture,
        ["error_after_capture"] = CaptureFault.ErrorAfterCapture,
        ["answer_after_timeout"] = CaptureFault.AnswerAfterTimeout,
        ["hold_after_capture"] = CaptureFault.HoldAfterCapture,
        ["duplicate_capture"] = CaptureFault.DuplicateCapture,
    }.ToFrozenDictionary();

    public static IEnumerable<string> All => ByName.Keys;

    public static bool TryParse(string? name, out CaptureFault fault) => ByName.TryGetValue(name ?? "", out fault);
}
