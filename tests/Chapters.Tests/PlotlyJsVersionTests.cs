using System.Text.RegularExpressions;
using System.Xml.Linq;
using LstmNotebooks.Charts;
using LstmNotebooks.Display;
using NotebookRunner.Output;

namespace Chapters.Tests;

/// <summary>
/// The plotly.js version has one source, Directory.Build.props' <c>PlotlyJsVersion</c>: the runner and NotebookApp embed
/// the vendored copy named with it, and the helper library loads it from plotly's CDN. What could still disagree with it
/// is checked here: the vendored file's own banner, and what each built assembly ended up with.
/// </summary>
public class PlotlyJsVersionTests
{
    private static string Declared()
    {
        var props = XDocument.Load(Path.Combine(Chapter.RepositoryRoot, "Directory.Build.props"));
        var version = props.Descendants("PlotlyJsVersion").Select(e => e.Value.Trim()).SingleOrDefault();
        Assert.False(string.IsNullOrEmpty(version), "Directory.Build.props declares no PlotlyJsVersion");
        return version!;
    }

    [Fact]
    public void The_library_the_runner_and_the_apps_use_the_plotly_js_version_Directory_Build_props_declares()
    {
        var version = Declared();
        var file = $"plotly-{version}.min.js";

        Assert.Equal(version, ChartHtml.PlotlyJsVersion);
        Assert.Contains($"https://cdn.plot.ly/{file}", ChartHtml.Render(CourseCharts.Figure("sample", "x", "y", CourseCharts.Line(new[] { 0, 1 }, new[] { 0, 1 }, "line"))));
        Assert.Equal($"assets/{file}", BookWriter.PlotlyAsset);
        Assert.Equal([file], typeof(NotebookApp.AppHost).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("plotly-", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_vendored_plotly_js_is_the_version_its_file_name_says()
    {
        var version = Declared();
        var folder = Path.Combine(Chapter.RepositoryRoot, "lib", "NotebookRunner", "Assets", "plotly");
        Assert.Equal([$"plotly-{version}.min.js", $"plotly-{version}.min.js.LICENSE.txt"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        using var reader = new StreamReader(Path.Combine(folder, $"plotly-{version}.min.js"));
        var banner = new char[200];
        var head = new string(banner, 0, reader.Read(banner, 0, banner.Length));
        Assert.Equal(version, Regex.Match(head, @"plotly\.js v(\d+\.\d+\.\d+)").Groups[1].Value);
    }
}
