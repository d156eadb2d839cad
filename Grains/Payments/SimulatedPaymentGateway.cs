using System.Collections.Concurrent;
using System.Globalization;

namespace AdWallet.Grains.Payments;

/// <summary>
/// The embedded default gateway: card numbers behave like the public test cards (docs/design.md, "Payment gateway"); every other method
/// succeeds. Tests can make it time out after capturing, hang after capturing, or capture twice.
/// </summary>
public sealed class SimulatedPaymentGateway : IPaymentGateway
{
    public const string SucceedingCard = "4242424242424242";
    public const string DeclinedCard = "4000000000000002";
    public const string InsufficientFundsCard = "4000000000009995";
    public const string ExpiredCard = "4000000000000069";
    public const string RegistersButDeclinesCard = "4000000000000341";
    public const string ProcessingErrorCard = "4000000000000119";

    private const string CaptureIdPrefix = "cap_";

    private readonly ConcurrentDictionary<string, string> _vault = new();
    private readonly Lock _lock = new();
    private readonly Queue<CaptureFault> _faults = new();
    private readonly HashSet<string> _refunds = new(StringComparer.Ordinal);

    // Every capture in the order it was made: capture cap_{n} is _captures[n - 1].
    private readonly List<StoredCapture> _captures = [];
    private readonly Dictionary<string, List<int>> _capturesByReference = new(StringComparer.Ordinal);
    private long _nextTokenId;

    /// <summary>What the next captures do beyond capturing, in order.</summary>
    public void EnqueueFault(CaptureFault fault)
    {
        lock (_lock) _faults.Enqueue(fault);
    }

    /// <summary>Completes when a capture told to hang has captured and begun to hang.</summary>
    public TaskCompletionSource HangStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Released by tests to let a capture that was told to hang answer at last.</summary>
    public TaskCompletionSource HangRelease { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int CaptureCount
    {
        get
        {
            lock (_lock) return _captures.Count;
        }
    }

    /// <summary>How many of the next listings of captures fail, as when the gateway is unreachable.</summary>
    public int ListingFailures { get; set; }

    public Task<CardRegistration> RegisterCardAsync(string number, string expiry, CancellationToken cancellationToken = default)
    {
        var registration = number switch
        {
            DeclinedCard => new CardRegistration(null, ErrorCodes.CardDeclined),
            ExpiredCard => new CardRegistration(null, ErrorCodes.ExpiredCard),
            ProcessingErrorCard => new CardRegistration(null, ErrorCodes.ProcessingError),
            _ => new CardRegistration(Register(number), null),
        };
        return Task.FromResult(registration);
    }

    public async Task<CaptureResult> CaptureAsync(PaymentRequest request, CancellationToken cancellationToken = default)
    {
        var number = request.CardToken is { } token ? _vault.GetValueOrDefault(token) : request.CardNumber;
        if (request.Method == "card")
        {
            var decline = number switch
            {
                null => ErrorCodes.CardDeclined,
                DeclinedCard or RegistersButDeclinesCard => ErrorCodes.CardDeclined,
                InsufficientFundsCard => ErrorCodes.InsufficientFunds,
                ExpiredCard => ErrorCodes.ExpiredCard,
                ProcessingErrorCard => ErrorCodes.ProcessingError,
                _ => null,
            };
            if (decline is not null) return CaptureResult.Declined(decline);
        }

        CaptureFault fault;
        int capture;
        lock (_lock)
        {
            if (_capturesByReference.TryGetValue(request.Reference, out var earlier)) return CaptureResult.Captured(CaptureId(earlier[0]));
            fault = _faults.TryDequeue(out var next) ? next : CaptureFault.None;
            if (fault == CaptureFault.TimeoutBeforeCapture)
                throw new PaymentGatewayTimeoutException($"The gateway did not answer for {request.Reference}, and captured nothing.");
            capture = Record(request);
            if (fault == CaptureFault.CaptureTwice) Record(request);
        }

        switch (fault)
        {
            case CaptureFault.TimeoutAfterCapture:
                throw new PaymentGatewayTimeoutException($"The gateway did not answer for {request.Reference}.");
            case CaptureFault.HangAfterCapture:
                HangStarted.TrySetResult();
                await HangRelease.Task.WaitAsync(cancellationToken);
                throw new PaymentGatewayTimeoutException($"The gateway answered {request.Reference} too late.");
        }
        return CaptureResult.Captured(CaptureId(capture));
    }

    public Task<IReadOnlyList<Capture>> FindCapturesAsync(string reference, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Capture>>([.. CapturesOf(reference).Select(ToCapture)]);
        }
    }

    public Task<IReadOnlyList<Capture>> ListCapturesAsync(string referencePrefix, string? afterCaptureId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var page = new List<Capture>();
        lock (_lock)
        {
            if (ListingFailures > 0)
            {
                ListingFailures--;
                throw new HttpRequestException("The simulated gateway cannot be reached.");
            }
            var start = afterCaptureId is null ? 0 : TryFindCapture(afterCaptureId, out var after) ? after + 1 : _captures.Count;
            for (var i = start; i < _captures.Count && page.Count < limit; i++)
            {
                if (_captures[i].Reference.StartsWith(referencePrefix, StringComparison.Ordinal)) page.Add(ToCapture(i));
            }
        }
        return Task.FromResult<IReadOnlyList<Capture>>(page);
    }

    public Task RefundAsync(string captureId, long amount, string refundReference, string reason, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_refunds.Contains(refundReference)) return Task.CompletedTask;
            if (!TryFindCapture(captureId, out var index)) throw new InvalidOperationException($"Capture {captureId} does not exist.");
            var capture = _captures[index];
            if (capture.RefundedAmount + amount > capture.Amount)
                throw new InvalidOperationException($"Refund {refundReference} exceeds capture {captureId}.");
            capture.RefundedAmount += amount;
            _refunds.Add(refundReference);
        }
        return Task.CompletedTask;
    }

    /// <summary>The amount refunded to the payer for a reference, over all its captures.</summary>
    public long RefundedFor(string reference)
    {
        lock (_lock) return CapturesOf(reference).Sum(index => _captures[index].RefundedAmount);
    }

    private string Register(string number)
    {
        var token = $"tok_{Interlocked.Increment(ref _nextTokenId)}";
        _vault[token] = number;
        return token;
    }

    /// <summary>Adds a capture for the request and returns its index; called under the lock.</summary>
    private int Record(PaymentRequest request)
    {
        var metadata = request.Metadata is null ? null : new Dictionary<string, string>(request.Metadata);
        _captures.Add(new StoredCapture(request.Reference, request.Amount, metadata));
        var index = _captures.Count - 1;
        if (!_capturesByReference.TryGetValue(request.Reference, out var indexes)) _capturesByReference[request.Reference] = indexes = [];
        indexes.Add(index);
        return index;
    }

    private IEnumerable<int> CapturesOf(string reference) =>
        _capturesByReference.TryGetValue(reference, out var indexes) ? indexes : [];

    private Capture ToCapture(int index)
    {
        var capture = _captures[index];
        return new Capture(CaptureId(index), capture.Reference, capture.Amount, capture.RefundedAmount, capture.Metadata);
    }

    private sealed class StoredCapture(string reference, long amount, IReadOnlyDictionary<string, string>? metadata)
    {
        public string Reference { get; } = reference;

        public long Amount { get; } = amount;

        public IReadOnlyDictionary<string, string>? Metadata { get; } = metadata;

        public long RefundedAmount { get; set; }
    }

    private static string CaptureId(int index) => $"{CaptureIdPrefix}{index + 1}";

    /// <summary>The index of a capture id this gateway gave out; called under the lock.</summary>
    private bool TryFindCapture(string captureId, out int index)
    {
        index = -1;
        if (!captureId.StartsWith(CaptureIdPrefix, StringComparison.Ordinal)
            || !int.TryParse(captureId.AsSpan(CaptureIdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number < 1 || number > _captures.Count
            || CaptureId(number - 1) != captureId)
            return false;
        index = number - 1;
        return true;
    }
}

public enum CaptureFault
{
    None,

    /// <summary>Captures, then reports a timeout: the payer paid, the wallet was not told.</summary>
    TimeoutAfterCapture,

    /// <summary>Captures, then does not answer until <see cref="SimulatedPaymentGateway.HangRelease"/>: time for a crash.</summary>
    HangAfterCapture,

    /// <summary>Reports a timeout without capturing anything.</summary>
    TimeoutBeforeCapture,

    /// <summary>Captures the payment twice.</summary>
    CaptureTwice,
}
