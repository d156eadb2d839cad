using System.Text;
using AdWallet.Grains.Channels;
using AdWallet.Grains.Channels.CustomerFiles;

namespace AdWallet.Api.Requests;

/// <summary>
/// Decides, while an upload streams through, which encoding its text is in: UTF-8 (with or without BOM) when every
/// byte decodes as UTF-8, otherwise CP949 (EUC-KR's superset, which Korean spreadsheets save) when every byte decodes
/// as that, otherwise none. Also tells a binary file (NUL bytes) and a file with no text at all.
/// </summary>
public sealed class CustomerFileEncodingCheck
{
    private readonly Decoder _utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
    private readonly Decoder _cp949 = CustomerFileText.StrictCp949().GetDecoder();
    private readonly string? _declared;
    private char[] _chars = new char[4096];
    private bool _utf8Valid = true;
    private bool _cp949Valid = true;

    /// <param name="charset">The charset the request declared, if any: a declared one is the only one tried.</param>
    public CustomerFileEncodingCheck(string? charset)
    {
        _declared = charset?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "utf-8" or "utf8" => CustomerFileEncodings.Utf8,
            "cp949" or "euc-kr" or "ks_c_5601-1987" or "x-windows-949" or "windows-949" => CustomerFileEncodings.Cp949,
            _ => "unknown",
        };
        if (_declared is not null && _declared != CustomerFileEncodings.Utf8) _utf8Valid = false;
        if (_declared is not null && _declared != CustomerFileEncodings.Cp949) _cp949Valid = false;
    }

    /// <summary>True once a NUL byte was seen: the file is binary, not CSV.</summary>
    public bool IsBinary { get; private set; }

    /// <summary>True once a character other than white space (or a BOM) was decoded.</summary>
    public bool HasText { get; private set; }

    /// <summary>The encoding every byte so far decodes in, or null.</summary>
    public string? Encoding => _utf8Valid ? CustomerFileEncodings.Utf8 : _cp949Valid ? CustomerFileEncodings.Cp949 : null;

    public void Add(ReadOnlySpan<byte> bytes, bool final = false)
    {
        if (bytes.Contains((byte)0)) IsBinary = true;
        _utf8Valid = _utf8Valid && Decode(_utf8, bytes, final, observeText: true);
        _cp949Valid = _cp949Valid && Decode(_cp949, bytes, final, observeText: !_utf8Valid);
    }

    public void Complete() => Add([], final: true);

    private bool Decode(Decoder decoder, ReadOnlySpan<byte> bytes, bool final, bool observeText)
    {
        try
        {
            var needed = decoder.GetCharCount(bytes, final);
            if (_chars.Length < needed) _chars = new char[needed];
            var count = decoder.GetChars(bytes, _chars, final);
            if (observeText && !HasText)
                HasText = _chars.AsSpan(0, count).ContainsAnyExcept(" \t\r\n\uFEFF,;");
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
