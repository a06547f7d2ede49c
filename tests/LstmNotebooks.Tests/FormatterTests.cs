using LstmNotebooks.Charts;
using LstmNotebooks.Display;
using LstmNotebooks.Runtime;
using Microsoft.DotNet.Interactive.Formatting;

namespace LstmNotebooks.Tests;

public class FormatterTests
{
    public FormatterTests() => TorchRuntime.EnsureAvailable();

    private static PlotlyFigure SmallChart() =>
        CourseCharts.Figure("Doubling", "step", "value", CourseCharts.Line(new[] { 1, 2, 3 }, new[] { 2, 4, 8 }, "doubling"));

    [Fact]
    public void Charts_are_formatted_as_interactive_html_as_soon_as_the_library_is_loaded()
    {
        // No explicit Register() call: touching the library (constructor above) ran its module initializer.
        var html = SmallChart().ToDisplayString(HtmlFormatter.MimeType);
        Assert.Contains($"class=\"{ChartHtml.ContainerClass}\"", html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("\"doubling\"", html);
        Assert.Contains(typeof(PlotlyFigure), Formatter.RegisteredFormatters().Select(f => f.Type));
    }

    [Fact]
    public void A_chart_prefers_html_and_has_a_plain_text_description()
    {
        Assert.Equal(HtmlFormatter.MimeType, Formatter.GetPreferredMimeTypesFor(typeof(PlotlyFigure)).First());
        Assert.Equal("Plotly chart \"Doubling\" with 1 trace", SmallChart().ToDisplayString(PlainTextFormatter.MimeType));
    }

    [Fact]
    public void A_chart_is_the_plotly_js_figure_json_with_the_course_layout()
    {
        var figure = System.Text.Json.Nodes.JsonNode.Parse(SmallChart().ToJson())!;
        var trace = figure["data"]![0]!;
        Assert.Equal("scatter", (string?)trace["type"]);
        Assert.Equal([1, 2, 3], trace["x"]!.AsArray().Select(v => (int)v!));
        Assert.Equal([2, 4, 8], trace["y"]!.AsArray().Select(v => (int)v!));
        Assert.Equal("Doubling", (string?)figure["layout"]!["title"]!["text"]);
        Assert.Equal("step", (string?)figure["layout"]!["xaxis"]!["title"]!["text"]);
        Assert.Equal(420, (int)figure["layout"]!["height"]!);
    }

    [Fact]
    public void Missing_values_become_gaps_and_floats_keep_their_shortest_form()
    {
        var json = CourseCharts.Line(new[] { 0, 1, 2 }, new[] { 0.1f, float.NaN, float.PositiveInfinity }, "gaps").Json.ToJsonString();
        Assert.Contains("\"y\":[0.1,null,null]", json);
    }

    [Fact]
    public void Charts_never_need_FSharp_Core_so_they_load_in_every_kernel()
    {
        var references = typeof(PlotlyFigure).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain("FSharp.Core", references);
        Assert.DoesNotContain("Plotly.NET", references);
    }

    [Fact]
    public void Tensors_show_shape_type_and_values()
    {
        using var t = tensor(new float[] { 1.5f, -2f, 3.25f }).reshape(3, 1);
        var text = t.ToDisplayString(PlainTextFormatter.MimeType);
        Assert.StartsWith("tensor of shape [3, 1], Float32", text);
        Assert.Contains("1.5", text);
        Assert.Contains("-2", text);
        Assert.Contains("3.25", text);
        Assert.Contains("<pre", t.ToDisplayString(HtmlFormatter.MimeType));
    }

    [Fact]
    public void Large_tensors_show_only_their_header()
    {
        using var t = zeros(100, 100);
        Assert.Contains("values not shown", NotebookFormatters.TensorText(t));
    }
}
