using System.Text.Json;
using System.Text.Json.Nodes;

namespace LstmNotebooks.Charts;

/// <summary>
/// One series of a chart, as a plotly.js trace object (<c>{"type": "scatter", "x": [...], ...}</c>): the keys and
/// values are those of the plotly.js reference, so anything plotly.js can draw can be set with <see cref="Set"/>.
/// </summary>
public sealed class PlotlyTrace
{
    public PlotlyTrace(string type) => Json = new JsonObject { ["type"] = type };

    /// <summary>The trace as plotly.js reads it.</summary>
    public JsonObject Json { get; }

    /// <summary>Sets a plotly.js attribute (a number, string, bool, array or nested object) and returns the trace.</summary>
    public PlotlyTrace Set(string attribute, object? value)
    {
        Json[attribute] = PlotlyJson.From(value);
        return this;
    }
}

/// <summary>
/// A chart as a plotly.js figure: its traces and its layout, serialised as the JSON that <c>Plotly.newPlot</c>
/// takes. It carries no F# or Plotly.NET types, so it loads in every kernel (see docs/charts.md).
/// </summary>
public sealed class PlotlyFigure
{
    public PlotlyFigure(IEnumerable<PlotlyTrace> traces, JsonObject layout)
    {
        Traces = traces.ToList();
        Layout = layout;
    }

    public IReadOnlyList<PlotlyTrace> Traces { get; }

    /// <summary>The plotly.js layout object (title, axes, size, sliders, …).</summary>
    public JsonObject Layout { get; }

    /// <summary>The layout's title text, if it has one.</summary>
    public string? Title => Layout["title"] switch
    {
        JsonObject title => title["text"]?.GetValue<string>(),
        JsonValue text when text.TryGetValue(out string? s) => s,
        _ => null,
    };

    /// <summary>The figure as plotly.js JSON: <c>{"data": [...], "layout": {...}}</c>.</summary>
    public string ToJson()
    {
        var figure = new JsonObject
        {
            ["data"] = new JsonArray(Traces.Select(t => (JsonNode)t.Json.DeepClone()).ToArray()),
            ["layout"] = Layout.DeepClone(),
        };
        return figure.ToJsonString(PlotlyJson.Options);
    }
}

/// <summary>Turns C# values into plotly.js JSON: numbers (NaN and infinities become null, as plotly.js expects gaps), strings, arrays.</summary>
internal static class PlotlyJson
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static JsonNode? From(object? value) => value switch
    {
        null => null,
        JsonNode node => node.Parent is null ? node : node.DeepClone(),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : null,
        float f => float.IsFinite(f) ? JsonValue.Create(f) : null,
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        PlotlyTrace trace => trace.Json.DeepClone(),
        IDictionary<string, object?> map => new JsonObject(map.Select(kv => KeyValuePair.Create(kv.Key, From(kv.Value)))),
        System.Collections.IEnumerable items => new JsonArray(items.Cast<object?>().Select(From).ToArray()),
        _ => throw new ArgumentException($"a plotly.js attribute cannot hold a {value.GetType().Name}", nameof(value)),
    };
}
