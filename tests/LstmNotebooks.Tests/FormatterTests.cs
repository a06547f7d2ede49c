using LstmNotebooks.Charts;
using LstmNotebooks.Display;
using LstmNotebooks.Runtime;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace LstmNotebooks.Tests;

public class FormatterTests
{
    public FormatterTests() => TorchRuntime.EnsureAvailable();

    private static GenericChart SmallChart() =>
        CourseCharts.Figure("Doubling", "step", "value", CourseCharts.Line(new[] { 1, 2, 3 }, new[] { 2, 4, 8 }, "doubling"));

    [Fact]
    public void Charts_are_formatted_as_interactive_html_as_soon_as_the_library_is_loaded()
    {
        // No explicit Register() call: touching the library (constructor above) ran its module initializer.
        var html = SmallChart().ToDisplayString(HtmlFormatter.MimeType);
        Assert.Contains($"class=\"{ChartHtml.ContainerClass}\"", html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("\"doubling\"", html);
        Assert.Contains(typeof(GenericChart), Formatter.RegisteredFormatters().Select(f => f.Type));
    }

    [Fact]
    public void A_chart_prefers_html_and_has_a_plain_text_description()
    {
        Assert.Equal(HtmlFormatter.MimeType, Formatter.GetPreferredMimeTypesFor(typeof(GenericChart)).First());
        Assert.Equal("Plotly chart \"Doubling\" with 1 trace", SmallChart().ToDisplayString(PlainTextFormatter.MimeType));
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
