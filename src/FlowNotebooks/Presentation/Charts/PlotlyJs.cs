using System.Reflection;
using Plotly.NET;

namespace FlowNotebooks.Presentation.Charts;

/// <summary>plotly.js as Plotly.NET.dll carries it (an embedded resource), so charts draw with no network: saved
/// notebooks and reports render offline and no evidence-derived page ever fetches a script from a CDN.</summary>
public static class PlotlyJs
{
    static readonly Lazy<string> Source = new(Load);

    /// <summary>The minified library.</summary>
    public static string Script => Source.Value;

    /// <summary>A script element defining <c>window.Plotly</c>. The library runs with <c>define</c>/<c>module</c>
    /// hidden: under require.js (classic Jupyter) its UMD header would otherwise register an AMD module and leave no
    /// global for the charts to find.</summary>
    public static string ScriptElement() =>
        "<script type=\"text/javascript\">(function (define, module, exports) {\n" + Script + "\n}).call(window);</script>";

    static string Load()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(".min.js", StringComparison.OrdinalIgnoreCase))
                   ?? throw new InvalidOperationException($"{assembly.GetName().Name} carries no plotly.js resource.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        // An inline script ends at the first "</script": the library must not contain one.
        if (text.Contains("</script", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException("The embedded plotly.js cannot be inlined: it contains \"</script\".");
        return text;
    }
}
