using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Amazon.Runtime;

namespace FlowNotebooks.Formats;

/// <summary>
/// The AWS CLI's JSON output (<c>--output json</c>), the one writer of that shape: 4-space indentation, non-ASCII and
/// HTML characters as themselves (the CLI does not escape them), unset members left out, enums as their wire strings,
/// timestamps as the CLI prints them in AWS's own examples (<c>2018-02-21T13:22:12.644Z</c>: UTC, milliseconds), and a
/// newline at the end. Items are SDK model objects (API member names, in name order) or dictionaries (their order kept,
/// for documents written by hand, such as a generated case's describe-flow-logs). Pagination is the CLI's: the caller
/// gathers every page into the one list the CLI would print.
/// </summary>
public static class AwsCliJson
{
    static readonly JsonWriterOptions Options = new() { Indented = true, IndentSize = 4, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A timestamp as the CLI prints it (times without a kind are taken as UTC).</summary>
    public static string Time(DateTime t) =>
        (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes <c>{"<paramref name="member"/>": [items...]}</c> to a file, flushed to disk.</summary>
    public static void WriteList(string path, string member, IEnumerable items)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        using (var json = new Utf8JsonWriter(file, Options))
        {
            json.WriteStartObject();
            json.WritePropertyName(member);
            json.WriteStartArray();
            foreach (var item in items) Value(json, item);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        file.Write("\n"u8);
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
            case DateTime t: json.WriteStringValue(Time(t)); break;
            case int or long or short or byte: json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case double or float or decimal: json.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
            case IDictionary d:
                json.WriteStartObject();
                foreach (DictionaryEntry e in d)
                {
                    if (e.Value is null) continue;
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
