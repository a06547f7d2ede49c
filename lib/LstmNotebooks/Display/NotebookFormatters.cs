using System.Net;
using Microsoft.DotNet.Interactive.Formatting;
using LstmNotebooks.Charts;
using TorchSharp;

namespace LstmNotebooks.Display;

/// <summary>
/// Registers how the course's values look in a notebook: charts (<see cref="PlotlyFigure"/>) as interactive
/// <c>text/html</c>, and TorchSharp tensors as their values in
/// NumPy style rather than a table of properties. Registered when the library loads; safe to call again.
/// </summary>
public static class NotebookFormatters
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;

        Formatter.Register<PlotlyFigure>((chart, writer) => writer.Write(ChartHtml.Render(chart)), HtmlFormatter.MimeType);
        Formatter.Register<PlotlyFigure>((chart, writer) => writer.Write(ChartHtml.Describe(chart)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(PlotlyFigure), HtmlFormatter.MimeType);

        Formatter.Register<torch.Tensor>((tensor, writer) => writer.Write(TensorText(tensor)), PlainTextFormatter.MimeType);
        Formatter.Register<torch.Tensor>(
            (tensor, writer) => writer.Write($"<pre class=\"lstm-notebooks-tensor\">{WebUtility.HtmlEncode(TensorText(tensor))}</pre>"),
            HtmlFormatter.MimeType);
    }

    /// <summary>A tensor's shape, type and (for small tensors) values, NumPy style.</summary>
    public static string TensorText(torch.Tensor tensor)
    {
        if (tensor.IsInvalid) return "tensor (disposed)";
        var header = $"tensor of shape [{string.Join(", ", tensor.shape)}], {tensor.dtype}";
        if (tensor.numel() > 1000) return header + " (values not shown: more than 1000 elements)";
        return header + Environment.NewLine + tensor.ToString(TensorStringStyle.Numpy, fltFormat: "g6");
    }
}
