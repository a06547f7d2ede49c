using System.Net;
using System.Text;

namespace NotebookApp;

/// <summary>
/// Where an exported app runs and writes: its working directory is the app's own folder (as the kernel's is the
/// notebook's), and HTML outputs (charts) become pages in <c>out/&lt;app&gt;/</c> beside it, or the folder given with
/// <c>--out</c>, with an <c>index.html</c> that lists them.
/// </summary>
public static class AppHost
{
    /// <summary>The plotly.js this assembly embeds, named with its version (Directory.Build.props' PlotlyJsVersion).</summary>
    internal static readonly string PlotlyScript = typeof(AppHost).Assembly.GetManifestResourceNames()
        .Single(n => n.StartsWith("plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
    private static readonly List<(string File, string Title)> Pages = [];
    private static string _name = "app";
    private static string? _outputDirectory;

    /// <summary>Starts the app: working directory, console progress, the command line's parameters.</summary>
    public static AppParameters Start(string name, string[] args)
    {
        _name = name;
        if (AppContext.GetData("EntryPointFileDirectoryPath") is string folder && Directory.Exists(folder))
            Directory.SetCurrentDirectory(folder);
        var parameters = AppParameters.Parse(name, args);
        _outputDirectory = Path.GetFullPath(parameters.OutputDirectory ?? Path.Combine("out", name));
        ConsoleOutput.Install();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Pages.Count > 0) Console.WriteLine($"{Pages.Count} page(s) of outputs: {Path.Combine(_outputDirectory!, "index.html")}");
        };
        return parameters;
    }

    /// <summary>Writes an HTML output as a page of its own and returns the page's path.</summary>
    internal static string WritePage(string html, string title)
    {
        Directory.CreateDirectory(_outputDirectory!);
        var file = $"output-{Pages.Count + 1:00}.html";
        var needsPlotly = html.Contains("Plotly.newPlot", StringComparison.Ordinal);
        if (needsPlotly) WritePlotly();
        var page = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append($"<title>{WebUtility.HtmlEncode(title)}</title>\n")
            .Append(needsPlotly ? $"<script src=\"{PlotlyScript}\"></script>\n" : "")
            .Append("<style>body{font-family:\"Segoe UI\",Helvetica,Arial,sans-serif;margin:1.5rem auto;max-width:980px}</style>")
            .Append("</head><body>\n").Append(html).Append("\n</body></html>\n");
        File.WriteAllText(Path.Combine(_outputDirectory!, file), page.ToString(), new UTF8Encoding(false));
        Pages.Add((file, title));
        WriteIndex();
        return Path.Combine(_outputDirectory!, file);
    }

    private static void WriteIndex()
    {
        var html = new StringBuilder($"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(_name)}</title></head><body>\n")
            .Append($"<h1>{WebUtility.HtmlEncode(_name)}</h1>\n<ol>\n");
        foreach (var (file, title) in Pages) html.Append($"<li><a href=\"{file}\">{WebUtility.HtmlEncode(title)}</a></li>\n");
        html.Append("</ol>\n</body></html>\n");
        File.WriteAllText(Path.Combine(_outputDirectory!, "index.html"), html.ToString(), new UTF8Encoding(false));
    }

    private static void WritePlotly()
    {
        var target = Path.Combine(_outputDirectory!, PlotlyScript);
        if (File.Exists(target)) return;
        using var source = typeof(AppHost).Assembly.GetManifestResourceStream(PlotlyScript)
                           ?? throw new InvalidOperationException($"NotebookApp does not embed {PlotlyScript}");
        using var file = File.Create(target);
        source.CopyTo(file);
    }
}
