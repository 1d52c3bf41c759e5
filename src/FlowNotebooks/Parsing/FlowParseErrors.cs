using System.Diagnostics;
using System.Text;
using FlowNotebooks.Formats;

namespace FlowNotebooks.Parsing;

/// <summary>Every parse and load message in one place, so they read alike and name the field, the value and the limit.</summary>
[StackTraceHidden]
public static class FlowParseErrors
{
    /// <summary>The longest raw text kept with a reject.</summary>
    public const int MaxRawChars = 512;

    internal static string FieldCount(int found, FlowLogFormat format) =>
        $"expected {format.Fields.Count} fields ({format.Origin}) but found {found}";

    internal static string BadValue(FlowField field, int index, ReadOnlySpan<byte> token)
    {
        var what = field.Kind switch
        {
            FieldKind.Int32 => "a 32-bit integer",
            FieldKind.Int64 => "a 64-bit integer",
            FieldKind.EpochTime => "a Unix time",
            FieldKind.Address => "an IPv4 or IPv6 address",
            _ => "text",
        };
        return $"field {index + 1} '{field.Name}': '{Printable(token, 64)}' is not {what}";
    }

    internal static string InvalidUtf8(int offset) => $"invalid UTF-8 at byte {offset + 1} of the line";

    internal static string LineTooLong(long length, int limit) => $"line of {length:N0} bytes is longer than the {limit:N0}-byte limit";

    internal static string TruncatedCompression(long afterLine, string detail) =>
        $"compressed stream ends early after line {afterLine} ({detail}); the records before it are kept";

    internal static string EmptyObject() => "empty object: no records";

    internal static string UnreadableObject(string objectName, long recordsKept, string detail) =>
        $"object {objectName} could not be read: {detail}" + (recordsKept > 0 ? $"; the {recordsKept:N0} records before it are kept" : "");

    /// <summary>The raw bytes as text, invalid UTF-8 escaped as \xNN and cut to a bound with the full length noted.</summary>
    public static string Printable(ReadOnlySpan<byte> raw, int maxChars = MaxRawChars)
    {
        var sb = new StringBuilder(Math.Min(raw.Length, maxChars) + 16);
        var i = 0;
        while (i < raw.Length && sb.Length < maxChars)
        {
            var status = System.Text.Rune.DecodeFromUtf8(raw[i..], out var rune, out var used);
            if (status == System.Buffers.OperationStatus.Done)
            {
                if (rune.Value < 0x20 && rune.Value != '\t') sb.Append($"\\x{rune.Value:X2}");
                else sb.Append(rune.ToString());
                i += used;
            }
            else
            {
                sb.Append($"\\x{raw[i]:X2}");
                i++;
            }
        }
        if (i < raw.Length)
            sb.Append($"… ({raw.Length:N0} bytes)");
        return sb.ToString();
    }
}
