using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using NotebookRunner.Document;
using NotebookRunner.Host;

namespace NotebookRunner.Output;

/// <summary>A page of the run's HTML book, for the index.</summary>
public sealed record BookPage(string NotebookPath, string? PagePath, bool Passed, TimeSpan Duration, string? Failure, string? Title = null);

/// <summary>
/// Writes each executed notebook as a standalone HTML page (prose rendered from Markdown with its LaTeX, code cells
/// with their outputs in order, errors highlighted) and an index.html for the run. The page's scripts — plotly.js
/// (vendored in Assets/plotly) and KaTeX (vendored in Assets/katex) — are written once into the output folder's
/// assets/ and referenced once per page, so pages work offline and charts do not each carry plotly.js. The prose's
/// relative images are copied beside the page (see <see cref="WithImages"/>).
/// </summary>
public static class BookWriter
{
    /// <summary>The plotly.js the runner embeds, Assets/plotly/plotly-X.Y.Z.min.js at Directory.Build.props' PlotlyJsVersion.</summary>
    public static readonly string PlotlyAsset = typeof(BookWriter).Assembly.GetManifestResourceNames()
        .Single(n => n.StartsWith("assets/plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
    public const string DefaultIndexTitle = "Executed notebooks";
    private const string KatexPrefix = "assets/katex/";

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .Build();

    public static BookPage WritePage(NotebookRunResult result, string pagePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(pagePath))!;
        var usesPlotly = result.Outputs.Any(o => o.Html is { } h && HtmlOutput.IsPlotlyChart(h));
        if (usesPlotly) EnsurePlotly(directory);
        var notebookDirectory = Path.GetDirectoryName(Path.GetFullPath(result.NotebookPath))!;
        var prose = result.Cells.Where(c => c.Cell.Kind == CellKind.Markdown)
            .Select(c => WithImages(Markdig.Markdown.ToHtml(c.Cell.Source, Markdown), notebookDirectory, directory)).ToList();
        var usesMath = prose.Any(p => p.Contains("class=\"math\"", StringComparison.Ordinal));
        if (usesMath) EnsureKatex(directory);

        var title = TitleOf(result) ?? Path.GetFileNameWithoutExtension(result.NotebookPath);
        var html = new StringBuilder();
        var scripts = new List<string>();
        if (usesPlotly) scripts.Add(PlotlyAsset);
        if (usesMath) scripts.Add(KatexPrefix + "katex.min.js");
        html.Append(Head(title, scripts, usesMath ? [KatexPrefix + "katex.min.css"] : []));
        html.Append($"<p class=\"run\">{(result.Succeeded ? "✓ ran successfully" : "✗ failed")} in {result.Duration.TotalSeconds:0.0}s · "
                    + $"<a href=\"index.html\">all chapters</a> · <a href=\"{Enc(Path.GetFileName(result.OutputPath ?? ""))}\">executed notebook</a></p>\n");
        if (result.FailureMessage is { } failure) html.Append($"<div class=\"failure\">{Enc(failure)}</div>\n");

        var proseIndex = 0;
        foreach (var cell in result.Cells)
        {
            switch (cell.Cell.Kind)
            {
                case CellKind.Markdown:
                    html.Append("<section class=\"markdown\">").Append(prose[proseIndex++]).Append("</section>\n");
                    break;
                case CellKind.Code:
                    html.Append(CodeCell(cell));
                    break;
            }
        }
        if (usesMath) html.Append(RenderMathScript);
        html.Append("</main></body></html>\n");
        File.WriteAllText(pagePath, html.ToString(), new UTF8Encoding(false));
        return new BookPage(result.NotebookPath, pagePath, result.Succeeded, result.Duration, result.FailureMessage, TitleOf(result));
    }

    public static string WriteIndex(IReadOnlyList<BookPage> pages, string directory, string title = DefaultIndexTitle)
    {
        var html = new StringBuilder(Head(title, [], []));
        html.Append("<table class=\"index\"><thead><tr><th>chapter</th><th>status</th><th>time</th></tr></thead><tbody>\n");
        foreach (var p in pages)
        {
            var name = p.Title ?? Path.GetFileNameWithoutExtension(p.NotebookPath);
            var link = p.PagePath is null ? Enc(name) : $"<a href=\"{Enc(Path.GetFileName(p.PagePath))}\">{Enc(name)}</a>";
            link += $" <span class=\"file\">{Enc(Path.GetFileName(p.NotebookPath))}</span>";
            html.Append($"<tr class=\"{(p.Passed ? "passed" : "failed")}\"><td>{link}</td><td>{(p.Passed ? "passed" : "FAILED")}</td>"
                        + $"<td>{p.Duration.TotalSeconds:0.0}s</td></tr>\n");
            if (p.Failure is not null) html.Append($"<tr class=\"failed\"><td colspan=\"3\"><pre>{Enc(p.Failure)}</pre></td></tr>\n");
        }
        html.Append("</tbody></table></main></body></html>\n");
        var path = Path.Combine(directory, "index.html");
        File.WriteAllText(path, html.ToString(), new UTF8Encoding(false));
        return path;
    }

    private static string CodeCell(CellResult cell)
    {
        var sb = new StringBuilder();
        var status = cell.Status switch { CellStatus.Failed => " failed", CellStatus.Skipped => " skipped", CellStatus.NotRun => " not-run", _ => "" };
        sb.Append($"<section class=\"code{status}\"><div class=\"prompt\">[{cell.ExecutionCount?.ToString() ?? " "}]</div>");
        sb.Append($"<pre class=\"source\"><code class=\"language-csharp\">{Enc(cell.Cell.Source)}</code></pre>\n");
        foreach (var o in cell.Outputs)
        {
            switch (o.Kind)
            {
                case OutputKind.Stream:
                    sb.Append($"<pre class=\"output stream {Enc(o.StreamName ?? "stdout")}\">{Enc(LastStateOfLines(o.Text))}</pre>\n");
                    break;
                case OutputKind.Display or OutputKind.Result when o.Html is { } h:
                    sb.Append($"<div class=\"output html\">{h}</div>\n");
                    break;
                case OutputKind.Display or OutputKind.Result:
                    sb.Append($"<pre class=\"output text\">{Enc(o.PlainText ?? "")}</pre>\n");
                    break;
                case OutputKind.Error when o.Error is { } e:
                    var where = e.Line is { } line ? $"{cell.Cell.Label}, line {line}{(e.Column is { } c ? $", column {c}" : "")}" : cell.Cell.Label;
                    sb.Append($"<div class=\"output error\"><strong>{Enc(e.Name)}</strong> ({Enc(where)}): {Enc(e.Message)}");
                    if (e.SourceLine is { } src) sb.Append($"<pre>{Enc(src)}</pre>");
                    sb.Append($"<pre class=\"traceback\">{Enc(string.Join('\n', e.Traceback))}</pre></div>\n");
                    break;
            }
        }
        sb.Append("</section>\n");
        return sb.ToString();
    }

    /// <summary>Carriage-return progress lines show their final state, as a terminal would.</summary>
    private static string LastStateOfLines(string text) =>
        string.Join('\n', text.Split('\n').Select(l => l.Split('\r').LastOrDefault(p => p.Length > 0) ?? ""));

    private static string? TitleOf(NotebookRunResult result)
    {
        var first = result.Cells.FirstOrDefault(c => c.Cell.Kind == CellKind.Markdown)?.Cell.Source ?? "";
        var heading = first.Split('\n').FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal));
        return heading?[2..].Trim();
    }

    /// <summary>Typesets Markdig's math elements — \\( … \\) inline and \\[ … \\] display — with KaTeX.</summary>
    private const string RenderMathScript = """
        <script>
        document.querySelectorAll('.math').forEach(function (el) {
          var tex = el.textContent.trim(), display = tex.startsWith('\\[');
          tex = tex.replace(/^\\[\[(]/, '').replace(/\\[\])]$/, '');
          katex.render(tex, el, { displayMode: display, throwOnError: false });
        });
        </script>

        """;

    private static readonly Regex ImageSource = new("""(?<before><img\b[^>]*?\bsrc\s*=\s*")(?<src>[^"]*)(?<after>")""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Dictionary<string, string> ImageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".svg"] = "image/svg+xml", [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif", [".webp"] = "image/webp",
    };

    /// <summary>
    /// Makes the prose's relative images — Markdown's <c>![…](figures/x.svg)</c> or an HTML <c>img</c> — show on the
    /// page as they do beside the source notebook. Each one is resolved against the notebook's folder; a file inside
    /// that folder is copied to the same relative path beside the page (where the executed notebook finds it too), and
    /// one outside it (<c>../x.png</c>) is embedded in the page as a data URI. Web and absolute addresses, data URIs,
    /// other file types and missing files are left as they are.
    /// </summary>
    internal static string WithImages(string html, string notebookDirectory, string pageDirectory) =>
        ImageSource.Replace(html, m =>
        {
            if (LocalImage(WebUtility.HtmlDecode(m.Groups["src"].Value), notebookDirectory) is not { } file) return m.Value;
            var relative = Path.GetRelativePath(notebookDirectory, file);
            if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
                return m.Groups["before"].Value + $"data:{ImageTypes[Path.GetExtension(file)]};base64,{Convert.ToBase64String(File.ReadAllBytes(file))}"
                       + m.Groups["after"].Value;
            var target = Path.GetFullPath(Path.Combine(pageDirectory, relative));
            if (!string.Equals(target, file, StringComparison.Ordinal)) CopyFile(file, target);
            return m.Value;
        });

    /// <summary>The image file a relative <c>src</c> names, or null when it names no local image file.</summary>
    private static string? LocalImage(string src, string notebookDirectory)
    {
        var path = src.Split('?', '#')[0];
        if (path.Length == 0 || path.Contains(':') || path.StartsWith('/') || path.StartsWith('\\')) return null;
        try { path = Uri.UnescapeDataString(path); }
        catch (UriFormatException) { return null; }
        if (!ImageTypes.ContainsKey(Path.GetExtension(path))) return null;
        var file = Path.GetFullPath(Path.Combine(notebookDirectory, path));
        return File.Exists(file) ? file : null;
    }

    private static void CopyFile(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + ".tmp-" + Environment.ProcessId;
        File.Copy(source, temp, overwrite: true);
        File.Move(temp, target, overwrite: true);
    }

    private static void EnsurePlotly(string directory)
    {
        using var source = typeof(BookWriter).Assembly.GetManifestResourceStream(PlotlyAsset)
                           ?? throw new InvalidOperationException($"the runner does not embed {PlotlyAsset}");
        WriteAsset(source, Path.Combine(directory, PlotlyAsset));
    }

    private static void EnsureKatex(string directory)
    {
        var assembly = typeof(BookWriter).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(KatexPrefix, StringComparison.Ordinal)))
        {
            using var source = assembly.GetManifestResourceStream(name)!;
            WriteAsset(source, Path.Combine(directory, name));
        }
    }

    private static void WriteAsset(Stream source, string target)
    {
        if (File.Exists(target)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + ".tmp-" + Environment.ProcessId;
        using (var file = File.Create(temp)) source.CopyTo(file);
        File.Move(temp, target, overwrite: true);
    }

    private static string Head(string title, IEnumerable<string> scripts, IEnumerable<string> styles)
    {
        var sb = new StringBuilder();
        sb.Append($"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{Enc(title)}</title>\n");
        foreach (var s in styles) sb.Append($"<link rel=\"stylesheet\" href=\"{Enc(s)}\">\n");
        foreach (var s in scripts) sb.Append($"<script src=\"{Enc(s)}\"></script>\n");
        sb.Append("<style>").Append(Css).Append("</style></head><body><main>\n");
        sb.Append($"<header><h1 class=\"page-title\">{Enc(title)}</h1></header>\n");
        return sb.ToString();
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    private const string Css = """
        body{font-family:"Segoe UI",Helvetica,Arial,sans-serif;line-height:1.55;color:#222;background:#fafafa;margin:0}
        main{max-width:980px;margin:0 auto;padding:1.5rem 2rem 4rem;background:#fff;min-height:100vh}
        header .page-title{font-size:1.1rem;color:#666;font-weight:normal;margin:0 0 .5rem}
        .run{color:#555;font-size:.9rem}
        section.code{margin:1rem 0;border-left:3px solid #c8d6e5;padding-left:.75rem}
        section.code.failed{border-left-color:#d62728}
        .prompt{color:#999;font:12px monospace}
        pre{background:#f6f8fa;padding:.6rem .8rem;overflow-x:auto;font:13px/1.45 Consolas,Menlo,monospace;border-radius:4px}
        pre.stream.stderr{background:#fff5f5}
        .output.error{background:#fdecea;border:1px solid #f5c2c0;padding:.6rem .8rem;border-radius:4px;color:#8a1c1c}
        .failure{background:#fdecea;border:1px solid #f5c2c0;padding:.6rem .8rem;color:#8a1c1c;white-space:pre-wrap}
        table.index{border-collapse:collapse;width:100%}table.index td,table.index th{padding:.4rem .6rem;border-bottom:1px solid #eee;text-align:left}
        tr.failed td{color:#b00}
        .file{color:#888;font-size:.85em;margin-left:.5em}
        """;
}

/// <summary>What an HTML output is, for the pages (which script it needs) and the console (how to summarise it).</summary>
public static class HtmlOutput
{
    /// <summary>A plotly.js figure: HTML that calls <c>Plotly.newPlot</c>.</summary>
    public static bool IsPlotlyChart(string html) => html.Contains("Plotly.newPlot", StringComparison.Ordinal);
}
