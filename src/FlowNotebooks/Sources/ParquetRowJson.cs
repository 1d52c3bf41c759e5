using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace FlowNotebooks.Sources;

/// <summary>
/// A rejected Parquet row as the analyst's raw text: one JSON object of its columns in schema order, nested structs and
/// arrays (OCSF) as JSON objects and arrays.
/// </summary>
internal static class ParquetRowJson
{
    public static byte[] Write(IEnumerable<KeyValuePair<string, object?>> row)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms)) Value(w, row);
        return ms.ToArray();
    }

    static void Value(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case ReadOnlyMemory<char> m: w.WriteStringValue(m.Span); break;
            case bool b: w.WriteBooleanValue(b); break;
            case DateTime t: w.WriteStringValue(t); break;
            case byte[] bytes: w.WriteBase64StringValue(bytes); break;
            case double d when !double.IsFinite(d): w.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); break;
            case float f when !float.IsFinite(f): w.WriteStringValue(f.ToString(CultureInfo.InvariantCulture)); break;
            case IConvertible n when n.GetTypeCode() is >= TypeCode.SByte and <= TypeCode.Decimal:
                w.WriteRawValue(Convert.ToString(n, CultureInfo.InvariantCulture)!); break;
            case IEnumerable<KeyValuePair<string, object?>> d:
                Object(w, d);
                break;
            case IEnumerable list:
                w.WriteStartArray();
                foreach (var item in list) Value(w, item);
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(v.ToString()); break;
        }
    }

    static void Object(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, object?>> d)
    {
        w.WriteStartObject();
        foreach (var (key, value) in d)
        {
            w.WritePropertyName(key);
            Value(w, value);
        }
        w.WriteEndObject();
    }
}
