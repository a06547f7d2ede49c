using System.Net;
using Plotly.NET;

namespace LstmNotebooks.Display;

/// <summary>
/// Renders a Plotly.NET chart as a self-contained <c>text/html</c> fragment: a div and a script that draws the
/// figure with <c>Plotly.newPlot</c>. When the page already has plotly.js (the runner's offline HTML pages include
/// one local copy per page) nothing is downloaded; otherwise (VS Code, Jupyter) plotly.js is loaded once from
/// the CDN that Plotly.NET itself uses.
/// </summary>
public static class ChartHtml
{
    /// <summary>The plotly.js version Plotly.NET 6.0.0 ships and targets.</summary>
    public const string PlotlyJsVersion = "2.28.0";

    /// <summary>CSS class on every chart's container, so pages and tests can find charts.</summary>
    public const string ContainerClass = "lstm-notebooks-chart";

    public static string Render(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var id = "chart-" + Guid.NewGuid().ToString("N")[..12];
        var figure = GenericChart.toFigureJson(chart);
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
    public static string Describe(GenericChart chart)
    {
        var traces = GenericChart.getTraces(chart).Count();
        var title = TitleOf(chart);
        return $"Plotly chart{(title is null ? "" : $" \"{title}\"")} with {traces} trace{(traces == 1 ? "" : "s")}";
    }

    private static (int? Width, int? Height) SizeOf(GenericChart chart)
    {
        var layout = GenericChart.getLayout(chart);
        int? width = layout.TryGetTypedPropertyValue<int>("width") is { } w ? w.Value : null;
        int? height = layout.TryGetTypedPropertyValue<int>("height") is { } h ? h.Value : null;
        return (width, height);
    }

    private static string? TitleOf(GenericChart chart)
    {
        var title = GenericChart.getLayout(chart).TryGetPropertyValue("title");
        if (title is null) return null;
        return title.Value switch
        {
            string text => WebUtility.HtmlDecode(text),
            DynamicObj.DynamicObj obj when obj.TryGetPropertyValue("text") is { } text => WebUtility.HtmlDecode(text.Value?.ToString()),
            _ => null,
        };
    }
}
