using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowNotebooks.Interactive;

/// <summary>
/// An answer as JSON whatever C# shape the student gave it: a tuple or any sequence becomes an array, a dictionary an
/// object (keys as text), numbers and true/false stay themselves, a time is ISO 8601 UTC, anything else its text.
/// (System.Text.Json alone would write a tuple as <c>{}</c>: its items are fields.)
/// </summary>
public static class AnswerJson
{
    /// <summary>Compact, and readable outside HTML (the output is not embedded in a page as is).</summary>
    public static readonly JsonSerializerOptions Plain = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonNode? From(object? value, int depth = 0)
    {
        if (depth > 16) throw new ArgumentException("An answer nests deeper than 16 levels: give a value, a list or a table.");
        return value switch
        {
            null => null,
            string s => JsonValue.Create(s),
            bool b => JsonValue.Create(b),
            char c => JsonValue.Create(c.ToString()),
            Enum e => JsonValue.Create(e.ToString()),
            byte or sbyte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
            ulong u => JsonValue.Create(u),
            float or double or decimal => JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            DateTime t => JsonValue.Create(t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            DateTimeOffset t => JsonValue.Create(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            TimeSpan t => JsonValue.Create(t.TotalSeconds),
            ITuple tuple => new JsonArray(Enumerable.Range(0, tuple.Length).Select(i => From(tuple[i], depth + 1)).ToArray()),
            IDictionary d => Object(d, depth),
            IEnumerable items => new JsonArray(items.Cast<object?>().Select(i => From(i, depth + 1)).ToArray()),
            _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
        };
    }

    static JsonObject Object(IDictionary d, int depth)
    {
        var o = new JsonObject();
        foreach (DictionaryEntry e in d) o[Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? ""] = From(e.Value, depth + 1);
        return o;
    }
}
