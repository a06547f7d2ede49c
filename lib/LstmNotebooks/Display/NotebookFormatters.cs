using System.Net;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using TorchSharp;

namespace LstmNotebooks.Display;

/// <summary>
/// Registers how the course's values look in a notebook: Plotly.NET charts as interactive <c>text/html</c>
/// (Plotly.NET.Interactive only supports Plotly.NET before 6), and TorchSharp tensors as their values in
/// NumPy style rather than a table of properties. Registered when the library loads; safe to call again.
/// </summary>
public static class NotebookFormatters
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;

        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml.Render(chart)), HtmlFormatter.MimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml.Describe(chart)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), HtmlFormatter.MimeType);

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
