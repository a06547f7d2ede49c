using System.Reflection;
using LstmNotebooks.Charts;

namespace LstmNotebooks.Display;

/// <summary>
/// Renders a chart as a self-contained <c>text/html</c> fragment: a div and a script that draws the figure with
/// <c>Plotly.newPlot</c>. When the page already has plotly.js (the runner's offline HTML pages include one local
/// copy per page) nothing is downloaded; otherwise (VS Code, Jupyter) plotly.js is loaded once from plotly's CDN.
/// </summary>
public static class ChartHtml
{
    /// <summary>The plotly.js version the charts are written for: Directory.Build.props' <c>PlotlyJsVersion</c>, which
    /// the build writes into this assembly's metadata, as it names the copy the runner and the apps embed.</summary>
    public static readonly string PlotlyJsVersion =
        typeof(ChartHtml).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), false).Cast<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "PlotlyJsVersion")?.Value
        ?? throw new InvalidOperationException("LstmNotebooks was built without its PlotlyJsVersion metadata (Directory.Build.props)");

    /// <summary>CSS class on every chart's container, so pages and tests can find charts.</summary>
    public const string ContainerClass = "lstm-notebooks-chart";

    public static string Render(PlotlyFigure chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var id = "chart-" + Guid.NewGuid().ToString("N")[..12];
        var figure = chart.ToJson();
        var (width, height) = SizeOf(chart);
        var style = $"width:{(width is { } w ? w + "px" : "100%")};height:{height ?? 450}px;";
        return $$"""
            <div id="{{id}}" class="{{ContainerClass}}" style="{{style}}"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{figure}};
              var config = { responsive: true, displaylogo: false };
              function draw() { Plotly.newPlot('{{id}}', figure.data, figure.layout, config); }
              if (window.Plotly) { draw(); return; }
              var pending = window.__lstmNotebooksPlotly || (window.__lstmNotebooksPlotly = new Promise(function (resolve, reject) {
                var s = document.createElement('script');
                s.src = 'https://cdn.plot.ly/plotly-{{PlotlyJsVersion}}.min.js';
                s.onload = resolve; s.onerror = reject;
                document.head.appendChild(s);
              }));
              pending.then(draw);
            })();
            </script>
            """;
    }

    /// <summary>Plain-text stand-in for a chart (kept next to the HTML in executed notebooks).</summary>
    public static string Describe(PlotlyFigure chart)
    {
        var traces = chart.Traces.Count;
        var title = chart.Title;
        return $"Plotly chart{(title is null ? "" : $" \"{title}\"")} with {traces} trace{(traces == 1 ? "" : "s")}";
    }

    private static (int? Width, int? Height) SizeOf(PlotlyFigure chart) =>
        (chart.Layout["width"]?.GetValue<int>(), chart.Layout["height"]?.GetValue<int>());
}
