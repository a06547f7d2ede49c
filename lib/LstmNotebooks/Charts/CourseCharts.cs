using System.Text.Json.Nodes;

namespace LstmNotebooks.Charts;

/// <summary>
/// The course's charts in one visual language: the same colours, fonts, titles and axis labels in every chapter.
/// Each chart is a plotly.js figure (<see cref="PlotlyFigure"/>) whose keys map one to one to the plotly.js reference.
/// </summary>
public static class CourseCharts
{
    /// <summary>The palette: data, training, test/validation, and a few extras for more series.</summary>
    public static class Colours
    {
        public const string Data = "#1f77b4";      // blue
        public const string Train = "#d62728";     // red
        public const string Test = "#2ca02c";      // green
        public const string Extra1 = "#ff7f0e";    // orange
        public const string Extra2 = "#9467bd";    // purple
        public const string Extra3 = "#8c564b";    // brown
        public static readonly string[] Cycle = [Data, Extra1, Test, Train, Extra2, Extra3, "#e377c2", "#7f7f7f"];
    }

    /// <summary>A line (or markers) series: chart plumbing, a plotly.js <c>scatter</c> trace in the course's style.</summary>
    public static PlotlyTrace Line<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string name, string? colour = null,
        bool dotted = false, bool markers = false, bool lines = true, double width = 2)
    {
        var line = new JsonObject { ["width"] = width };
        if (colour is not null) line["color"] = colour;
        if (dotted) line["dash"] = "dot";
        var trace = new PlotlyTrace("scatter")
            .Set("x", x.ToArray())
            .Set("y", y.ToArray())
            .Set("name", name)
            .Set("mode", (lines, markers) switch { (true, true) => "lines+markers", (false, _) => "markers", _ => "lines" })
            .Set("line", line);
        if (colour is not null) trace.Set("marker", new JsonObject { ["color"] = colour });
        return trace;
    }

    /// <summary>Markers only, for observed data points: chart plumbing like <see cref="Line{TX, TY}"/>, a plotly.js
    /// <c>scatter</c> trace with no line, for any chapter.</summary>
    public static PlotlyTrace Points<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string name, string? colour = null) =>
        Line(x, y, name, colour, markers: true, lines: false);

    /// <summary>A heatmap of <paramref name="z"/>[row][column], coloured from <paramref name="zMin"/> to
    /// <paramref name="zMax"/>: chart plumbing like <see cref="Line{TX, TY}"/>, a plotly.js <c>heatmap</c> trace for
    /// any chapter.</summary>
    public static PlotlyTrace Heatmap(double[][] z, IEnumerable<string> rowNames, IEnumerable<string> columnNames,
        string name, double zMin = 0, double zMax = 1, string colourScale = "Viridis") =>
        new PlotlyTrace("heatmap")
            .Set("z", z)
            .Set("y", rowNames.ToArray())
            .Set("x", columnNames.ToArray())
            .Set("name", name)
            .Set("zmin", zMin)
            .Set("zmax", zMax)
            .Set("colorscale", colourScale);

    /// <summary>
    /// Forecasts of several series, solid over the known range (the first <paramref name="knownLength"/> points) and
    /// dotted beyond it, where each prediction was fed back in as the next input. With more than one entry in
    /// <paramref name="steps"/>, a slider browses them (e.g. one entry per training step); the last is shown first.
    /// Chart plumbing, not a lesson: chapters 4 and 5 call it for their forecast charts, and at some fifty lines of
    /// plotly.js layout (traces, visibility masks, the slider) it would outgrow a chapter's cell.
    /// </summary>
    public static PlotlyFigure ForecastSteps(string title, IReadOnlyList<(string Label, float[][] Forecasts)> steps,
        int knownLength, string xTitle = "time step", string yTitle = "value")
    {
        if (steps.Count == 0) throw new ArgumentException("no forecasts to draw", nameof(steps));
        var traces = new List<PlotlyTrace>();
        var perStep = new List<int>();
        foreach (var (_, forecasts) in steps)
        {
            perStep.Add(forecasts.Length * 2);
            for (var s = 0; s < forecasts.Length; s++)
            {
                var f = forecasts[s];
                var known = Math.Min(knownLength, f.Length);
                var colour = Colours.Cycle[s % Colours.Cycle.Length];
                traces.Add(Line(Enumerable.Range(0, known), f.Take(known), $"series {s}", colour));
                traces.Add(Line(Enumerable.Range(known - 1, f.Length - known + 1), f.Skip(known - 1), $"series {s} forecast", colour, dotted: true));
            }
        }
        var last = steps.Count - 1;
        bool[] VisibleFor(int step)
        {
            var visible = new bool[traces.Count];
            var start = perStep.Take(step).Sum();
            for (var i = start; i < start + perStep[step]; i++) visible[i] = true;
            return visible;
        }
        var visibleNow = VisibleFor(last);
        for (var i = 0; i < traces.Count; i++) traces[i].Set("visible", visibleNow[i]);

        var chart = Figure(steps.Count > 1 ? $"{title} — {steps[last].Label}" : title, xTitle, yTitle, traces, height: 460);
        if (steps.Count == 1) return chart;

        var sliderSteps = new JsonArray(steps.Select((s, i) => (JsonNode)new JsonObject
        {
            ["label"] = s.Label,
            ["method"] = "update",
            ["args"] = new JsonArray(
                new JsonObject { ["visible"] = PlotlyJson.From(VisibleFor(i)) },
                new JsonObject { ["title.text"] = $"{title} — {s.Label}" }),
        }).ToArray());
        chart.Layout["sliders"] = new JsonArray(new JsonObject
        {
            ["active"] = last,
            ["steps"] = sliderSteps,
            ["currentvalue"] = new JsonObject { ["prefix"] = "showing: " },
            ["pad"] = new JsonObject { ["t"] = 60 },
        });
        chart.Layout["height"] = 560;
        return chart;
    }

    /// <summary>Puts traces on one set of axes with the course's title, axis labels and layout.</summary>
    public static PlotlyFigure Figure(string title, string xTitle, string yTitle, IEnumerable<PlotlyTrace> traces,
        bool logY = false, int height = 420)
    {
        var layout = new JsonObject
        {
            ["title"] = Text(title, size: 18),
            ["xaxis"] = Axis(xTitle, log: false),
            ["yaxis"] = Axis(yTitle, log: logY),
            ["height"] = height,
            ["template"] = "plotly_white",
            ["font"] = Font(13),
            ["legend"] = new JsonObject { ["orientation"] = "h", ["y"] = -0.2 },
            ["margin"] = new JsonObject { ["t"] = 60 },
        };
        return new PlotlyFigure(traces, layout);
    }

    /// <inheritdoc cref="Figure(string, string, string, IEnumerable{PlotlyTrace}, bool, int)"/>
    public static PlotlyFigure Figure(string title, string xTitle, string yTitle, params PlotlyTrace[] traces) =>
        Figure(title, xTitle, yTitle, traces.AsEnumerable());

    private static JsonObject Axis(string title, bool log)
    {
        var axis = new JsonObject { ["title"] = Text(title, size: 14), ["zeroline"] = false };
        if (log) axis["type"] = "log";
        return axis;
    }

    private static JsonObject Text(string text, int size) => new() { ["text"] = text, ["font"] = Font(size) };

    private static JsonObject Font(int size) => new() { ["size"] = size, ["family"] = "Segoe UI, Helvetica, Arial, sans-serif" };
}
