using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Amazon.Runtime;

namespace FlowNotebooks.Sources.Aws;

/// <summary>
/// Writes SDK model objects as the AWS CLI prints them (<c>--output json</c>): API member names (the SDK's property
/// names), unset members left out, enums as their wire strings, timestamps as the CLI's ISO 8601
/// (<c>2026-03-01T10:00:00.000000+00:00</c>), 4-space indentation. Pagination is the CLI's: the caller gathers every
/// page into the one list the CLI would print.
/// </summary>
public static class AwsCliJson
{
    static readonly JsonWriterOptions Options = new() { Indented = true, IndentSize = 4, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <c>{"<paramref name="member"/>": [items...]}</c> to a file.</summary>
    public static void WriteList(string path, string member, IEnumerable items)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        using var json = new Utf8JsonWriter(file, Options);
        json.WriteStartObject();
        json.WritePropertyName(member);
        json.WriteStartArray();
        foreach (var item in items) Value(json, item);
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        file.Flush(flushToDisk: true);
    }

    static void Value(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case ConstantClass c: json.WriteStringValue(c.Value); break;
            case bool b: json.WriteBooleanValue(b); break;
            case DateTime t: json.WriteStringValue(t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture)); break;
            case int or long or short or byte: json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case double or float or decimal: json.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
            case IDictionary d:
                json.WriteStartObject();
                foreach (DictionaryEntry e in d)
                {
                    json.WritePropertyName(Convert.ToString(e.Key, CultureInfo.InvariantCulture)!);
                    Value(json, e.Value);
                }
                json.WriteEndObject();
                break;
            case IEnumerable list:
                json.WriteStartArray();
                foreach (var item in list) Value(json, item);
                json.WriteEndArray();
                break;
            default:
                json.WriteStartObject();
                foreach (var p in Members(value.GetType()))
                {
                    var v = p.GetValue(value);
                    if (v is null) continue;
                    json.WritePropertyName(p.Name);
                    Value(json, v);
                }
                json.WriteEndObject();
                break;
        }
    }

    /// <summary>The API members of a model class: public readable properties, minus the SDK's response bookkeeping.</summary>
    static IEnumerable<PropertyInfo> Members(Type t) =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.DeclaringType != typeof(AmazonWebServiceResponse))
            .OrderBy(p => p.Name, StringComparer.Ordinal);
}
