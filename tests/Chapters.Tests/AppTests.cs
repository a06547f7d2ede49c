using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookRunner.Document;
using NotebookRunner.Host;
using NotebookRunner.Output;

namespace Chapters.Tests;

/// <summary>
/// The chapters as .NET 10 file-based apps (apps/, docs/apps.md): the committed apps are exactly the
/// export of their notebooks, and each app prints what its notebook prints for the same parameters.
/// </summary>
public class AppTests
{
    private static string AppsDirectory => Path.Combine(Chapter.RepositoryRoot, "apps");

    public static TheoryData<string> Chapters() => new(Chapter.All.Select(Path.GetFileName)!);

    [Fact]
    public void Every_chapter_has_its_app_and_every_app_its_chapter()
    {
        var apps = Directory.GetFiles(AppsDirectory, "*.cs").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        var chapters = Chapter.All.Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(chapters, apps);
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void The_committed_app_is_the_export_of_its_notebook(string chapter)
    {
        var host = AppHostProject.Locate();
        Assert.NotNull(host);
        var expected = AppExporter.Export(NotebookReader.Read(Chapter.PathOf(chapter)), AppsDirectory, host);
        var committed = File.ReadAllText(Path.Combine(AppsDirectory, Path.ChangeExtension(chapter, ".cs")));
        Assert.True(expected == committed,
            $"apps/{Path.ChangeExtension(chapter, ".cs")} differs from the export of notebooks/{chapter}; regenerate the apps with: "
            + "dotnet run --project lib/NotebookRunner -- --export-apps apps");
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public async Task The_app_prints_what_the_notebook_prints_for_the_same_parameters(string chapter)
    {
        var parameters = QuickParameters(chapter);
        var notebook = await Chapter.RunAsync(chapter, parameters);
        var app = RunApp(chapter, parameters);

        // What the notebook printed, line by line (its stdout, and its single-line text outputs such as progress),
        // must appear in the app's output in the same order: the same numbers, to the last digit — all but elapsed
        // times such as "(0.7s)", which no two runs share.
        var expected = notebook.Cells.SelectMany(c => c.Outputs)
            .SelectMany(o => o.Kind == OutputKind.Stream && o.StreamName == "stdout" ? o.Text.Split('\n')
                : o.Kind is OutputKind.Display or OutputKind.Result && o.Html is null && o.PlainText is { } t && !t.Contains('\n') ? [t] : [])
            .Select(WithoutElapsedTime).Where(l => l.Length > 0)
            .Where(l => !l.StartsWith("Loading extensions from `", StringComparison.Ordinal))   // the kernel's line, not the chapter's
            .ToList();
        Assert.NotEmpty(expected);
        var lines = app.Split('\n').Select(WithoutElapsedTime).ToList();
        var at = 0;
        foreach (var line in expected)
        {
            var found = lines.FindIndex(at, l => l.Contains(line, StringComparison.Ordinal));
            Assert.True(found >= 0, $"the notebook printed\n  {line}\nbut the app did not (after line {at}); the app printed:\n{app}");
            at = found + 1;
        }
        var charts = Chapter.ChartTitles(notebook);
        Assert.Equal(charts, lines.Where(l => l.StartsWith("Plotly chart", StringComparison.Ordinal)).Select(l => l[..l.IndexOf(" → ", StringComparison.Ordinal)]));
    }

    private static string WithoutElapsedTime(string line) =>
        System.Text.RegularExpressions.Regex.Replace(line, @"\(\d+(\.\d+)?s\)", "(…s)").TrimEnd();

    [Theory]
    [InlineData("--hiddenSize", "three", "parameter 'hiddenSize' expects a whole number (int), got \"three\"")]
    [InlineData("--sequenceLenght", "30", "parameter 'sequenceLenght' is not declared in the parameters cell; it declares: inputSize, hiddenSize")]
    public void An_app_refuses_a_wrong_parameter_with_the_runners_words_and_exit_code_2(string name, string value, string message)
    {
        var app = Path.Combine(AppsDirectory, "02-lstm-cell-math.cs");
        var (buildCode, buildOutput) = Run(["build", app, "-p:BuildProjectReferences=false", "-v:q", "-nologo"]);
        Assert.True(buildCode == 0, buildOutput);
        var (code, output) = Run(["run", "--no-build", app, name, value]);
        Assert.Equal(2, code);
        Assert.Contains($"02-lstm-cell-math: {message}", output);
        // The runner's --param says the same of the same mistake.
        if (value == "three")
        {
            var e = Assert.Throws<NotebookRunner.Parameters.ParameterException>(() => NotebookRunner.Parameters.NotebookParameters.BuildInjectedSource(
                NotebookReader.Read(Chapter.PathOf("02-lstm-cell-math.ipynb")),
                NotebookRunner.Parameters.NotebookParameters.FindParametersCell(NotebookReader.Read(Chapter.PathOf("02-lstm-cell-math.ipynb")))!,
                new Dictionary<string, NotebookRunner.Parameters.ParameterOverride> { ["hiddenSize"] = NotebookRunner.Parameters.ParameterOverride.Text("three") }));
            Assert.Contains(message, e.Message);
        }
    }

    /// <summary>The chapter's section of tests/quick-parameters.json (the quick book's scale).</summary>
    private static Dictionary<string, object> QuickParameters(string chapter)
    {
        var all = JsonNode.Parse(File.ReadAllText(Path.Combine(Chapter.RepositoryRoot, "tests", "quick-parameters.json")))!;
        return all[chapter]!.AsObject().ToDictionary(p => p.Key, p => (object)p.Value!.ToJsonString().Trim('"'));
    }

    /// <summary>Builds and runs apps/NAME.cs as a reader would, with the parameters as --name value.</summary>
    private static string RunApp(string chapter, IReadOnlyDictionary<string, object> parameters)
    {
        var app = Path.Combine(AppsDirectory, Path.ChangeExtension(chapter, ".cs"));
        var pages = Path.Combine(Path.GetTempPath(), "lstm-apps", Guid.NewGuid().ToString("N")[..8]);
        // The helper library and NotebookApp were built with the tests; building the app does not rebuild them, so
        // chapters running in parallel keep loading the same library.
        var (buildCode, buildOutput) = Run(["build", app, "-p:BuildProjectReferences=false", "-v:q", "-nologo"]);
        Assert.True(buildCode == 0, $"dotnet build {app} failed:\n{buildOutput}");
        string[] arguments = ["run", "--no-build", app, .. parameters.SelectMany(p => new[] { $"--{p.Key}", Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)! }), "--out", pages];
        var (code, output) = Run(arguments);
        Assert.True(code == 0, $"dotnet {string.Join(' ', arguments)} exited with {code}:\n{output}");
        return output;
    }

    private static (int Code, string Output) Run(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(NotebookRunner.Kernel.DotNet.HostPath())
        {
            WorkingDirectory = Chapter.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "VSTEST_HOST_DEBUG" }) start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(entireProcessTree: true); return (-1, stdout + "\n(killed after 5 minutes)"); }
        return (process.ExitCode, stdout + stderr.Result);
    }
}
