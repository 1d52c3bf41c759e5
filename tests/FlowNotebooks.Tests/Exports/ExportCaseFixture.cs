using FlowNotebooks.Presentation.Exports;

namespace FlowNotebooks.Tests.Exports;

/// <summary>The export evidence loaded once into a case, and a folder for the files the tests write.</summary>
public sealed class ExportCaseFixture : IDisposable
{
    public ExportEvidence Evidence { get; } = new();
    public FlowCase Case { get; }
    public string Out { get; } = Directory.CreateTempSubdirectory("flownb-export-out-").FullName;

    public ExportCaseFixture() => Case = Evidence.Load();

    /// <summary>Writes an export of this case into <see cref="Out"/>.</summary>
    public ExportSummary Export(string file, ExportFormat format, string source = ExportRequest.Journeys, bool findings = false,
        params (string Name, object? Value)[] parameters) =>
        Case.Export(new ExportRequest(format, source) { Findings = findings, Parameters = parameters.ToDictionary(p => p.Name, p => p.Value) },
            Path.Combine(Out, file));

    public void Dispose()
    {
        Case.Dispose();
        Evidence.Dispose();
        try { Directory.Delete(Out, recursive: true); } catch (IOException) { }
    }
}
