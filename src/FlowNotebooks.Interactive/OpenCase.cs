using Microsoft.DotNet.Interactive.Commands;

namespace FlowNotebooks.Interactive;

/// <summary><c>#!flow-case</c>: parameters bind by name (<c>--path</c> → <see cref="Path"/>).</summary>
public sealed class OpenCase : KernelDirectiveCommand
{
    /// <summary>Case file to open or create; empty or ":memory:" for an in-memory case.</summary>
    public string? Path { get; set; }

    /// <summary>C# variable that receives the <see cref="FlowCase"/>.</summary>
    public string? Name { get; set; }
}
