using System.Collections.Concurrent;

namespace AdWallet.Grains.Payments;

/// <summary>
/// The embedded default gateway: card numbers behave like the public test cards (DESIGN.md §6); every other method
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

    private readonly ConcurrentDictionary<string, string> _vault = new();
    private readonly ConcurrentDictionary<string, List<Capture>> _captures = new();
    private readonly ConcurrentDictionary<string, string> _refunds = new();
    private readonly Lock _lock = new();
    private readonly Queue<CaptureFault> _faults = new();
    private readonly List<(string CaptureId, string Reference)> _captureOrder = [];
    private readonly Dictionary<string, int> _capturePositions = [];
    private long _nextId;

    /// <summary>What the next captures do beyond capturing, in order.</summary>
    public void EnqueueFault(CaptureFault fault)
    {
        lock (_lock) _faults.Enqueue(fault);
    }

    /// <summary>Completes when a capture told to hang has captured and begun to hang.</summary>
    public TaskCompletionSource HangStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Released by tests to let a capture that was told to hang answer at last.</summary>
    public TaskCompletionSource HangRelease { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int CaptureCount => _captures.Values.Sum(c => c.Count);

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
        Capture capture;
        lock (_lock)
        {
            var captures = _captures.GetOrAdd(request.Reference, _ => new List<Capture>(1));
            if (captures.Count > 0) return CaptureResult.Captured(captures[0].CaptureId);
            fault = _faults.TryDequeue(out var next) ? next : CaptureFault.None;
            if (fault == CaptureFault.TimeoutBeforeCapture)
                throw new PaymentGatewayTimeoutException($"The gateway did not answer for {request.Reference}, and captured nothing.");
            capture = Record(captures, request);
            if (fault == CaptureFault.CaptureTwice) Record(captures, request);
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
        return CaptureResult.Captured(capture.CaptureId);
    }

    public Task<IReadOnlyList<Capture>> FindCapturesAsync(string reference, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Capture>>(_captures.TryGetValue(reference, out var captures) ? [.. captures] : []);
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
            var start = afterCaptureId is null ? 0 : _capturePositions.TryGetValue(afterCaptureId, out var after) ? after + 1 : _captureOrder.Count;
            for (var i = start; i < _captureOrder.Count && page.Count < limit; i++)
            {
                var (captureId, reference) = _captureOrder[i];
                if (reference.StartsWith(referencePrefix, StringComparison.Ordinal)) page.Add(_captures[reference].First(c => c.CaptureId == captureId));
            }
        }
        return Task.FromResult<IReadOnlyList<Capture>>(page);
    }

    public Task RefundAsync(string captureId, long amount, string refundReference, string reason, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_refunds.TryAdd(refundReference, captureId)) return Task.CompletedTask;
            foreach (var captures in _captures.Values)
            {
                var index = captures.FindIndex(c => c.CaptureId == captureId);
                if (index < 0) continue;
                var capture = captures[index];
                if (capture.RefundedAmount + amount > capture.Amount)
                    throw new InvalidOperationException($"Refund {refundReference} exceeds capture {captureId}.");
                captures[index] = capture with { RefundedAmount = capture.RefundedAmount + amount };
                return Task.CompletedTask;
            }
        }
        throw new InvalidOperationException($"Capture {captureId} does not exist.");
    }

    /// <summary>The amount refunded to the payer for a reference, over all its captures.</summary>
    public long RefundedFor(string reference)
    {
        lock (_lock) return _captures.TryGetValue(reference, out var captures) ? captures.Sum(c => c.RefundedAmount) : 0;
    }

    private string Register(string number)
    {
        var token = $"tok_{Interlocked.Increment(ref _nextId)}";
        _vault[token] = number;
        return token;
    }

    /// <summary>Adds a capture for the request; called under the lock.</summary>
    private Capture Record(List<Capture> captures, PaymentRequest request)
    {
        var capture = new Capture($"cap_{Interlocked.Increment(ref _nextId)}", request.Reference, request.Amount, 0, request.Metadata);
        captures.Add(capture);
        _capturePositions[capture.CaptureId] = _captureOrder.Count;
        _captureOrder.Add((capture.CaptureId, capture.Reference));
        return capture;
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
