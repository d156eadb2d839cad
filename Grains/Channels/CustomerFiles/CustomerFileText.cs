using System.Text;

namespace AdWallet.Grains.Channels.CustomerFiles;

/// <summary>The text encodings customer files come in (<see cref="CustomerFileEncodings"/>).</summary>
public static class CustomerFileText
{
    public const int Cp949CodePage = 949;

    static CustomerFileText() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The encoding to read a file in; a BOM, if the file has one, still wins.</summary>
    public static Encoding For(string encoding) => encoding switch
    {
        CustomerFileEncodings.Utf8 => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        CustomerFileEncodings.Cp949 => Encoding.GetEncoding(Cp949CodePage),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Not an encoding of customer files."),
    };

    /// <summary>CP949 that throws on bytes it cannot decode, to check that a file is CP949 text.</summary>
    public static Encoding StrictCp949() =>
        Encoding.GetEncoding(Cp949CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
}
