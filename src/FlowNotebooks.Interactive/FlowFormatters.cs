using System.Runtime.CompilerServices;
using FlowNotebooks.Ingest;
using FlowNotebooks.Presentation.Charts;
using FlowNotebooks.Presentation.Html;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Store;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace FlowNotebooks.Interactive;

/// <summary>
/// Formatters for DataFrames, charts (ours and any Plotly.NET <see cref="GenericChart"/>), cases and loads. Microsoft.Data.Analysis registers its own DataFrame formatter
/// (up to 10,000 rows of HTML) whenever its package arrives, possibly after ours; the last registered wins, so
/// <see cref="EnsurePreferred"/> runs before every command and re-registers ours if it was displaced.
/// </summary>
public static class FlowFormatters
{
    const string Html = "text/html", Plain = "text/plain";

    static readonly ConditionalWeakTable<Kernel, object> PlotlySent = [];

    static readonly ITypeFormatter FrameHtml = new Fmt<DataFrame>(Html, f => DataFrameView.ToHtml(f, Rows));

    static readonly ITypeFormatter ChartHtmlFormatter = new Fmt<GenericChart>(Html, c => ChartHtml(new FlowChart(c)));

    static readonly ITypeFormatter[] All =
    [
        FrameHtml,
        new Fmt<DataFrame>(Plain, f => DataFrameView.ToText(f, Rows)),
        new Fmt<CaseSummary>(Html, SummaryCards.CaseHtml),
        new Fmt<CaseSummary>(Plain, SummaryCards.CaseText),
        new Fmt<FlowCase>(Html, c => SummaryCards.CaseHtml(c.Summary())),
        new Fmt<FlowCase>(Plain, c => SummaryCards.CaseText(c.Summary())),
        new Fmt<IngestSummary>(Html, SummaryCards.LoadHtml),
        new Fmt<IngestSummary>(Plain, SummaryCards.LoadText),
        new Fmt<IngestProgress>(Html, SummaryCards.ProgressHtml),
        new Fmt<IngestProgress>(Plain, p => p.ToString()),
        new Fmt<AcquisitionProgress>(Html, SummaryCards.AcquisitionProgressHtml),
        new Fmt<AcquisitionProgress>(Plain, p => p.ToString()),
        new Fmt<CollectionResult>(Html, SummaryCards.CollectionHtml),
        new Fmt<CollectionResult>(Plain, SummaryCards.CollectionText),
        new Fmt<FlowChart>(Html, ChartHtml),
        new Fmt<FlowChart>(Plain, _ => "(a chart: shown in HTML outputs)"),
        // A Plotly.NET chart an analyst builds draws like ours (offline), not as an object tree.
        ChartHtmlFormatter,
        new Fmt<GenericChart>(Plain, _ => "(a chart: shown in HTML outputs)"),
    ];

    /// <summary>DataFrame rows shown (the variable keeps them all).</summary>
    public static int Rows { get; set; } = DataFrameView.DefaultRows;

    /// <summary>By default plotly.js (3.5 MB) goes into the first chart a kernel shows and later charts use it; set
    /// true to embed it in every chart (each output then renders alone, e.g. after clearing earlier outputs).</summary>
    public static bool PlotlyJsInEveryChart { get; set; }

    /// <summary>Registers all formatters.</summary>
    public static void Register()
    {
        foreach (var f in All) Formatter.Register(f);
    }

    /// <summary>Registers again if another DataFrame formatter was registered after ours.</summary>
    public static void EnsurePreferred()
    {
        if (!ReferenceEquals(Formatter.GetPreferredFormatterFor(typeof(DataFrame), Html), FrameHtml)
            || !ReferenceEquals(Formatter.GetPreferredFormatterFor(typeof(GenericChart), Html), ChartHtmlFormatter)) Register();
    }

    static string ChartHtml(FlowChart chart)
    {
        var kernel = KernelInvocationContext.Current?.HandlingKernel?.RootKernel;
        var first = kernel is null || !PlotlySent.TryGetValue(kernel, out _);
        if (kernel is not null) PlotlySent.AddOrUpdate(kernel, true);
        return chart.ToHtml(includePlotlyJs: first || PlotlyJsInEveryChart);
    }

    sealed class Fmt<T>(string mimeType, Func<T, string> format) : ITypeFormatter
    {
        public string MimeType => mimeType;
        public Type Type => typeof(T);

        public bool Format(object instance, FormatContext context)
        {
            if (instance is not T value) return false;
            context.Writer.Write(format(value));
            return true;
        }
    }
}
