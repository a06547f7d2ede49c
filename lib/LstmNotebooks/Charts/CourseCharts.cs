using Plotly.NET;
using Plotly.NET.LayoutObjects;

namespace LstmNotebooks.Charts;

/// <summary>
/// The course's charts in one visual language: the same colours, fonts, titles and axis labels in every chapter.
/// Traces are built as plotly.js objects (Plotly.NET's own representation), which keeps C# free of F# optional
/// arguments and maps one to one to the plotly.js reference.
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

    /// <summary>A line (or markers) series.</summary>
    public static Trace Line<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string name, string? colour = null,
        bool dotted = false, bool markers = false, bool lines = true, double width = 2)
    {
        var trace = new Trace2D("scatter");
        trace.SetProperty("x", x.ToArray());
        trace.SetProperty("y", y.ToArray());
        trace.SetProperty("name", name);
        trace.SetProperty("mode", (lines, markers) switch { (true, true) => "lines+markers", (false, _) => "markers", _ => "lines" });
        var line = new DynamicObj.DynamicObj();
        line.SetProperty("width", width);
        if (colour is not null) line.SetProperty("color", colour);
        if (dotted) line.SetProperty("dash", "dot");
        trace.SetProperty("line", line);
        if (colour is not null)
        {
            var marker = new DynamicObj.DynamicObj();
            marker.SetProperty("color", colour);
            trace.SetProperty("marker", marker);
        }
        return trace;
    }

    /// <summary>Markers only: observed data points.</summary>
    public static Trace Points<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string name, string? colour = null) =>
        Line(x, y, name, colour, markers: true, lines: false);

    /// <summary>A heatmap of <paramref name="z"/>[row][column].</summary>
    public static Trace Heatmap(double[][] z, IEnumerable<string> rowNames, IEnumerable<string> columnNames,
        string name, double zMin = 0, double zMax = 1, string colourScale = "Viridis")
    {
        var trace = new Trace2D("heatmap");
        trace.SetProperty("z", z);
        trace.SetProperty("y", rowNames.ToArray());
        trace.SetProperty("x", columnNames.ToArray());
        trace.SetProperty("name", name);
        trace.SetProperty("zmin", zMin);
        trace.SetProperty("zmax", zMax);
        trace.SetProperty("colorscale", colourScale);
        return trace;
    }

    /// <summary>Training (and validation) loss against epochs, log scale by default.</summary>
    public static GenericChart LossCurves(Training.TrainingHistory history, string title = "Loss during training",
        bool logY = true, string xTitle = "epoch", string yTitle = "MSE loss")
    {
        var traces = new List<Trace> { Line(history.Epochs, history.TrainLosses, "training loss", Colours.Train) };
        if (history.Reports.Any(r => r.ValidationLoss is not null))
            traces.Add(Line(history.Epochs, history.ValidationLosses, "validation loss", Colours.Test));
        return Figure(title, xTitle, yTitle, traces, logY: logY);
    }

    /// <summary>
    /// The whole series in blue, with the model's predictions for the training windows in red and for the test
    /// windows in green, each placed at the month it predicts: window i's last step predicts point i + lookback.
    /// </summary>
    public static GenericChart PredictionOverlay(string title, IReadOnlyList<string> labels, IReadOnlyList<float> series,
        IReadOnlyList<float> trainPredictions, IReadOnlyList<float> testPredictions, int trainSize, int lookback,
        string yTitle = "value")
    {
        if (labels.Count != series.Count) throw new ArgumentException("one label per point of the series");
        if (lookback + trainPredictions.Count > trainSize || trainSize + lookback + testPredictions.Count > series.Count)
            throw new ArgumentException("the predictions do not fit the series with this train size and lookback");
        var trainLabels = labels.Skip(lookback).Take(trainPredictions.Count);
        var testLabels = labels.Skip(trainSize + lookback).Take(testPredictions.Count);
        return Figure(title, "month", yTitle,
            Line(labels, series, "data", Colours.Data),
            Line(trainLabels, trainPredictions, "train predictions", Colours.Train),
            Line(testLabels, testPredictions, "test predictions", Colours.Test));
    }

    /// <summary>
    /// Forecasts of several series, solid over the known range (the first <paramref name="knownLength"/> points) and
    /// dotted beyond it, where each prediction was fed back in as the next input. With more than one entry in
    /// <paramref name="steps"/>, a slider browses them (e.g. one entry per training step); the last is shown first.
    /// </summary>
    public static GenericChart ForecastSteps(string title, IReadOnlyList<(string Label, float[][] Forecasts)> steps,
        int knownLength, string xTitle = "time step", string yTitle = "value")
    {
        if (steps.Count == 0) throw new ArgumentException("no forecasts to draw", nameof(steps));
        var traces = new List<Trace>();
        var perStep = new List<int>();
        foreach (var (label, forecasts) in steps)
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
        for (var i = 0; i < traces.Count; i++) traces[i].SetProperty("visible", visibleNow[i]);

        var chart = Figure(steps.Count > 1 ? $"{title} — {steps[last].Label}" : title, xTitle, yTitle, traces, height: 460);
        if (steps.Count == 1) return chart;

        var sliderSteps = steps.Select((s, i) =>
        {
            var step = new DynamicObj.DynamicObj();
            step.SetProperty("label", s.Label);
            step.SetProperty("method", "update");
            var styleUpdate = new DynamicObj.DynamicObj();
            styleUpdate.SetProperty("visible", VisibleFor(i));
            var layoutUpdate = new DynamicObj.DynamicObj();
            layoutUpdate.SetProperty("title.text", $"{title} — {s.Label}");
            step.SetProperty("args", new object[] { styleUpdate, layoutUpdate });
            return step;
        }).ToArray();
        var slider = new DynamicObj.DynamicObj();
        slider.SetProperty("active", last);
        slider.SetProperty("steps", sliderSteps);
        var prefix = new DynamicObj.DynamicObj();
        prefix.SetProperty("prefix", "showing: ");
        slider.SetProperty("currentvalue", prefix);
        slider.SetProperty("pad", new Dictionary<string, int> { ["t"] = 60 });
        var layout = GenericChart.getLayout(chart);
        layout.SetProperty("sliders", new[] { slider });
        layout.SetProperty("height", 560);
        return GenericChart.setLayout(layout, chart);
    }

    /// <summary>Puts traces on one set of axes with the course's title, axis labels and layout.</summary>
    public static GenericChart Figure(string title, string xTitle, string yTitle, IEnumerable<Trace> traces,
        bool logY = false, int height = 420)
    {
        var chart = GenericChart.ofTraceObjects(true, traces.ToArray());
        var layout = new Layout();
        layout.SetProperty("title", Text(title, size: 18));
        layout.SetProperty("xaxis", Axis(xTitle, log: false));
        layout.SetProperty("yaxis", Axis(yTitle, log: logY));
        layout.SetProperty("height", height);
        layout.SetProperty("template", "plotly_white");
        layout.SetProperty("font", Font(13));
        var legend = new DynamicObj.DynamicObj();
        legend.SetProperty("orientation", "h");
        legend.SetProperty("y", -0.2);
        layout.SetProperty("legend", legend);
        var margin = new DynamicObj.DynamicObj();
        margin.SetProperty("t", 60);
        layout.SetProperty("margin", margin);
        return GenericChart.setLayout(layout, chart);
    }

    /// <inheritdoc cref="Figure(string, string, string, IEnumerable{Trace}, bool, int)"/>
    public static GenericChart Figure(string title, string xTitle, string yTitle, params Trace[] traces) =>
        Figure(title, xTitle, yTitle, traces.AsEnumerable());

    private static DynamicObj.DynamicObj Axis(string title, bool log)
    {
        var axis = new DynamicObj.DynamicObj();
        axis.SetProperty("title", Text(title, size: 14));
        axis.SetProperty("zeroline", false);
        if (log) axis.SetProperty("type", "log");
        return axis;
    }

    private static DynamicObj.DynamicObj Text(string text, int size)
    {
        var title = new DynamicObj.DynamicObj();
        title.SetProperty("text", text);
        title.SetProperty("font", Font(size));
        return title;
    }

    private static DynamicObj.DynamicObj Font(int size)
    {
        var font = new DynamicObj.DynamicObj();
        font.SetProperty("size", size);
        font.SetProperty("family", "Segoe UI, Helvetica, Arial, sans-serif");
        return font;
    }
}
