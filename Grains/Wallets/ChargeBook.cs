using System.Collections;
using System.Diagnostics.CodeAnalysis;
using AdWallet.Grains.Collections;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// Every charge of a wallet, in the order they were made (a charge's ordinal is its place here), found by ordinal or by
/// id. A wallet keeps all its charges in memory, and a hot one adds tens of thousands a second, so a charge is kept as a
/// row without references, its texts in a <see cref="TextArena"/>: the garbage collector has nothing to trace or copy
/// however many there are.
/// </summary>
/// <remarks>
/// What the book hands out is a copy of the charge as it is when read; a change is made by <see cref="Update"/>, which
/// only <see cref="WalletState.Apply"/> calls. Grain code that awaits something reads the charge again afterwards.
/// </remarks>
public sealed class ChargeBook : IReadOnlyList<ChargeRecord>
{
    private readonly TextArena _text = new();
    private readonly TextIndex _ids;
    private readonly ChunkedList<Row> _rows = new();

    /// <summary>Texts that few charges differ in (methods, cards, statuses, codes), kept once each.</summary>
    private readonly NameTable _names = new();

    public ChargeBook() => _ids = new TextIndex(_text);

    public int Count => _rows.Count;

    public ChargeRecord this[int ordinal] => Read(ordinal);

    public ChargeRecord this[string id] => TryGetValue(id, out var charge) ? charge : throw new KeyNotFoundException($"There is no charge {id}.");

    public bool ContainsKey(string id) => _ids.FindFirst(id) >= 0;

    public bool TryGetValue(string id, [MaybeNullWhen(false)] out ChargeRecord charge)
    {
        var ordinal = _ids.FindFirst(id);
        charge = ordinal >= 0 ? Read(ordinal, id) : null;
        return charge is not null;
    }

    /// <summary>Adds the next charge: its ordinal must be the number of charges before it, and its id new.</summary>
    public void Add(ChargeRecord charge)
    {
        if (charge.Ordinal != _rows.Count)
            throw new InvalidOperationException($"Charge {charge.Id} is number {charge.Ordinal}, but follows {_rows.Count} charges.");
        var row = ToRow(charge);
        if (_ids.TryAdd(charge.Id) < 0) throw new InvalidOperationException($"Charge {charge.Id} is already in the book.");
        _rows.Add(row);
    }

    /// <summary>Stores what changed in a charge read from the book; its id and ordinal stay as they were.</summary>
    public void Update(ChargeRecord charge)
    {
        if ((uint)charge.Ordinal >= (uint)_rows.Count || !_ids[charge.Ordinal].SequenceEqual(charge.Id))
            throw new InvalidOperationException($"Charge {charge.Id} is not number {charge.Ordinal} of the book.");
        _rows[charge.Ordinal] = ToRow(charge, _rows[charge.Ordinal]);
    }

    /// <summary>The charge's unused paid cash, without reading the whole charge.</summary>
    public long RemainingOf(int ordinal) => _rows[ordinal].Remaining;

    /// <summary>The charge's status, without reading the whole charge.</summary>
    public string StatusOf(int ordinal) => _names[_rows[ordinal].Status];

    public IEnumerator<ChargeRecord> GetEnumerator()
    {
        for (var ordinal = 0; ordinal < _rows.Count; ordinal++) yield return Read(ordinal);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <param name="id">The charge's id, when the caller has it already.</param>
    private ChargeRecord Read(int ordinal, string? id = null)
    {
        var row = _rows[ordinal];
        return new ChargeRecord
        {
            Id = id ?? _ids[ordinal].ToString(),
            Ordinal = ordinal,
            Amount = row.Amount,
            Method = Name(row.Method)!,
            CardId = Name(row.CardId),
            Reference = Text(row.Reference)!,
            RequestHash = Text(row.RequestHash)!,
            Status = Name(row.Status)!,
            Code = Name(row.Code),
            CaptureId = Text(row.CaptureId),
            CreatedAt = row.CreatedAt,
            Remaining = row.Remaining,
            Refunded = row.Refunded,
            DuplicatesRefunded = row.DuplicatesRefunded,
            FreeAfter = row.FreeAfter,
            PaidAfter = row.PaidAfter,
        };
    }

    /// <summary>The charge as a row; texts that <paramref name="before"/> already holds are not kept again.</summary>
    private Row ToRow(ChargeRecord charge, Row? before = null) => new(
        NameNumber(charge.Method),
        NameNumber(charge.CardId),
        NameNumber(charge.Status),
        NameNumber(charge.Code),
        KeepText(charge.Reference, before?.Reference),
        KeepText(charge.RequestHash, before?.RequestHash),
        KeepText(charge.CaptureId, before?.CaptureId),
        charge.CreatedAt,
        charge.Amount,
        charge.Remaining,
        charge.Refunded,
        charge.DuplicatesRefunded,
        charge.FreeAfter,
        charge.PaidAfter);

    /// <summary>-1 for null.</summary>
    private int NameNumber(string? name) => name is null ? -1 : _names.Number(name);

    private string? Name(int number) => number < 0 ? null : _names[number];

    private TextSlice? KeepText(string? text, TextSlice? kept)
    {
        if (text is null) return null;
        return kept is { } slice && _text[slice].SequenceEqual(text) ? slice : _text.Add(text);
    }

    private string? Text(TextSlice? slice) => slice is { } text ? _text[text].ToString() : null;

    private readonly record struct Row(
        int Method,
        int CardId,
        int Status,
        int Code,
        TextSlice? Reference,
        TextSlice? RequestHash,
        TextSlice? CaptureId,
        DateTimeOffset CreatedAt,
        long Amount,
        long Remaining,
        long Refunded,
        long DuplicatesRefunded,
        long FreeAfter,
        long PaidAfter);
}
