using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace FlowNotebooks.Sources;

/// <summary>A rejected OCSF row as the analyst's raw text: its nested structs and arrays as one JSON object.</summary>
internal static class OcsfRowJson
{
    public static byte[] Write(IReadOnlyDictionary<string, object> row)
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
            case IReadOnlyDictionary<string, object> d:
                w.WriteStartObject();
                foreach (var (key, value) in d.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    w.WritePropertyName(key);
                    Value(w, value);
                }
                w.WriteEndObject();
                break;
            case IEnumerable list:
                w.WriteStartArray();
                foreach (var item in list) Value(w, item);
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(v.ToString()); break;
        }
    }
}
