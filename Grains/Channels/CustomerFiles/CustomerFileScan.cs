using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace AdWallet.Grains.Channels.CustomerFiles;

/// <summary>
/// Reads a customer file's CSV records as a stream (CsvHelper's parser, a buffer at a time) and counts them into a
/// <see cref="CustomerFileTally"/>, batch by batch.
/// </summary>
/// <remarks>
/// The header row is optional: the first record is a header when none of its fields is a phone number and one of them
/// has a letter in it. The customer column is the first field of the first record that is a phone number; under a
/// header, the column whose name says phone (전화, 휴대폰, 연락처, phone, mobile, tel); otherwise the first.
/// </remarks>
internal sealed class CustomerFileScan : IDisposable
{
    private static readonly string[] PhoneHeaderWords = ["전화", "휴대", "핸드폰", "연락처", "번호", "phone", "mobile", "tel", "cell"];

    private readonly Stream _stream;
    private readonly CsvParser _parser;
    private long _recordsRead;

    public CustomerFileScan(Stream stream, string encoding)
    {
        _stream = stream;
        var text = new StreamReader(stream, CustomerFileText.For(encoding), detectEncodingFromByteOrderMarks: true);
        _parser = new CsvParser(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            DetectDelimiter = true,
            IgnoreBlankLines = true,
            BadDataFound = null,
            MissingFieldFound = null,
        });
    }

    /// <summary>Bytes taken from the stream so far.</summary>
    public long BytesRead => _stream.Position;

    /// <summary>Skips the records a checkpoint counted already.</summary>
    public async Task SkipAsync(long records)
    {
        while (_recordsRead < records && await _parser.ReadAsync().ConfigureAwait(false)) _recordsRead++;
    }

    /// <summary>
    /// Reads up to <paramref name="maxRecords"/> records into <paramref name="tally"/>. Returns the numbers registered
    /// in this batch, each once, and whether the file has ended.
    /// </summary>
    public async Task<(HashSet<string> Phones, bool Ended)> ReadBatchAsync(CustomerFileTally tally, int maxRecords)
    {
        var phones = new HashSet<string>(StringComparer.Ordinal);
        for (var read = 0; read < maxRecords; read++)
        {
            if (!await _parser.ReadAsync().ConfigureAwait(false))
            {
                tally.BytesRead = BytesRead;
                return (phones, true);
            }
            _recordsRead++;
            tally.RecordsRead = _recordsRead;
            if (tally.Column is null)
            {
                tally.Column = ResolveColumn(out var isHeader);
                if (isHeader) continue;
            }
            var value = tally.Column < _parser.Count ? _parser[tally.Column.Value] ?? "" : "";
            tally.Attempted++;
            if (PhoneNumber.Normalize(value, out var rejection) is { } phone)
            {
                tally.Register();
                phones.Add(phone);
            }
            else
            {
                tally.Reject(_parser.RawRow, value, rejection!);
            }
        }
        tally.BytesRead = BytesRead;
        return (phones, false);
    }

    private int ResolveColumn(out bool isHeader)
    {
        var fields = Enumerable.Range(0, _parser.Count).Select(i => _parser[i] ?? "").ToArray();
        var phoneField = Array.FindIndex(fields, field => PhoneNumber.Normalize(field) is not null);
        isHeader = phoneField < 0 && fields.Any(field => field.Any(char.IsLetter));
        if (phoneField >= 0) return phoneField;
        if (!isHeader) return 0;
        var named = Array.FindIndex(fields, field => PhoneHeaderWords.Any(word => field.Contains(word, StringComparison.OrdinalIgnoreCase)));
        return Math.Max(named, 0);
    }

    public void Dispose() => _parser.Dispose();
}
