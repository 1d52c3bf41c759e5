using System.Reflection;
using System.Runtime.Loader;

namespace FlowNotebooks.Interactive;

/// <summary>
/// dotnet-interactive and dotnet-repl load FSharp.Core 10.0 at start-up (their F# kernel); Plotly.NET 6 is built
/// against 10.1, and the default load context cannot load a second FSharp.Core, so every chart would fail with
/// "Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'". Answering that request with the FSharp.Core
/// already loaded (same major version, the API Plotly.NET uses is there) makes the charts work without a workaround cell.
/// </summary>
internal static class FSharpCoreUnification
{
    static int installed;
    [ThreadStatic] static bool resolving;

    /// <summary>Installs the handler once. Call before any code that touches Plotly.NET types is compiled.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 0)
            AssemblyLoadContext.Default.Resolving += Resolve;
    }

    static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name != "FSharp.Core" || resolving) return null;
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name == "FSharp.Core")
            .MaxBy(a => a.GetName().Version);
        if (loaded is not null) return loaded;
        // Not loaded yet: take the host's own copy (no version asked, so the one it ships binds).
        try
        {
            resolving = true;
            return context.LoadFromAssemblyName(new AssemblyName("FSharp.Core"));
        }
        catch (IOException)
        {
            return null;
        }
        finally
        {
            resolving = false;
        }
    }
}
