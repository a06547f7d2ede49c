using System.Text.Json.Nodes;
using NotebookRunner.Host;

namespace Chapters.Tests;

/// <summary>
/// A chapter run once per test class (a class fixture): which notebook, its parameters, the variables to capture, and
/// optionally an <see cref="Epilogue"/>: the test's own C#, run in the chapter's kernel after its last cell.
/// </summary>
public abstract class ChapterRun(string fileName, IReadOnlyDictionary<string, object> parameters, params string[] capture) : IAsyncLifetime
{
    public NotebookRunResult Result { get; private set; } = null!;

    /// <summary>Code the kernel runs after the chapter's last cell, before the variables are captured: it reads what
    /// the kernel cannot hand over as it is (a tensor, a tuple) into variables of its own. The chapter's cells stay as they are.</summary>
    protected virtual string? Epilogue => null;

    public async Task InitializeAsync() => Result = await Chapter.RunWithEpilogueAsync(fileName, parameters, Epilogue, capture);
    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>Finds the chapters and runs one through the runner, as the tests' single entry point.</summary>
public static class Chapter
{
    public const string TutorialScale = "TutorialScale";

    public static string RepositoryRoot => LstmNotebooks.TestSupport.RepositoryPaths.Root;
    public static string NotebooksDirectory => Path.Combine(RepositoryRoot, "notebooks");
    public static string PathOf(string fileName) => Path.Combine(NotebooksDirectory, fileName);
    public static IEnumerable<string> All => Directory.GetFiles(NotebooksDirectory, "*.ipynb").Order(StringComparer.Ordinal);

    public static Task<NotebookRunResult> RunAsync(string fileName, IReadOnlyDictionary<string, object> parameters,
        params string[] capture) => RunWithEpilogueAsync(fileName, parameters, null, capture);

    /// <summary>Runs a chapter, then <paramref name="epilogue"/> (the runner's epilogue: code after the last cell), and
    /// captures the variables named.</summary>
    public static async Task<NotebookRunResult> RunWithEpilogueAsync(string fileName, IReadOnlyDictionary<string, object> parameters,
        string? epilogue, params string[] capture)
    {
        var result = await NotebookExecution.RunAsync(PathOf(fileName), Options(fileName, parameters) with { CaptureVariables = capture, Epilogue = epilogue });
        Assert.True(result.Succeeded, result.FailureMessage);
        return result;
    }

    /// <summary>A chapter's run options: the parameters as --param would give them, and a fresh output folder.</summary>
    public static NotebookRunOptions Options(string fileName, IReadOnlyDictionary<string, object> parameters) => new()
    {
        Parameters = parameters.ToDictionary(p => p.Key, p => NotebookRunner.Parameters.ParameterOverride.Text(Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)!)),
        OutputPath = Path.Combine(Path.GetTempPath(), "lstm-chapters", Guid.NewGuid().ToString("N")[..8], fileName),
    };

    /// <summary>
    /// The Plotly charts a run displayed, in the library's words for a chart (<c>Plotly chart "TITLE" with N traces</c>,
    /// <see cref="LstmNotebooks.Display.ChartHtml.Describe"/>, which an app prints too). The kernel sends a chart as
    /// text/html only: the figure is read back from the JSON the HTML hands to plotly.js.
    /// </summary>
    public static IReadOnlyList<string> ChartTitles(NotebookRunResult result) =>
        result.Outputs.Where(o => o.Html?.Contains("Plotly.newPlot", StringComparison.Ordinal) == true)
            .Select(o => FigureTitle(o.Html!)).ToList();

    private static string FigureTitle(string html)
    {
        const string start = "var figure = ";
        var from = html.IndexOf(start, StringComparison.Ordinal);
        if (from < 0) return "";
        var json = html[(from + start.Length)..].Split('\n', 2)[0].TrimEnd().TrimEnd(';');
        var figure = JsonNode.Parse(json)!;
        var traces = (figure["data"] as JsonArray ?? []).Select(t => new LstmNotebooks.Charts.PlotlyTrace((string?)t?["type"] ?? "scatter"));
        return LstmNotebooks.Display.ChartHtml.Describe(new LstmNotebooks.Charts.PlotlyFigure(traces, (JsonObject)figure["layout"]!.DeepClone()));
    }

}

/// <summary>The airline passengers read straight from the CSV, as a reader would check a chapter's numbers by hand, and
/// the RMSE the chapters score with.</summary>
internal static class AirlineCsv
{
    public static double[] Passengers() =>
        File.ReadAllLines(Path.Combine(Chapter.RepositoryRoot, "data", "airline-passengers.csv")).Skip(1)
            .Where(l => l.Trim().Length > 0).Select(l => double.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public static double Rmse(IEnumerable<double> forecast, IEnumerable<double> actual) =>
        Math.Sqrt(forecast.Zip(actual, (f, a) => (f - a) * (f - a)).Average());
}
