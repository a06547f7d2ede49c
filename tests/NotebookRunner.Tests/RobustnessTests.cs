using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NotebookRunner.Host;
using NotebookRunner.Parameters;

namespace NotebookRunner.Tests;

/// <summary>Hostile and unusual notebooks: each runs, or fails with a clear error; nothing interferes.</summary>
public class RobustnessTests
{
    [Fact]
    public async Task A_cell_that_prints_megabytes_is_truncated_with_a_notice_and_the_notebook_still_completes()
    {
        var dir = Fixtures.NewOutputDirectory();
        var path = Fixtures.WriteNotebook(dir, "huge-output.ipynb",
        [
            "var line = new string('x', 99);\nfor (var i = 0; i < 100_000; i++) Console.WriteLine(line);",   // 10 MB
            "var after = \"still running\";",
        ]);
        var r = await NotebookExecution.RunAsync(path, new() { OutputPath = Path.Combine(dir, "out.ipynb"), CaptureVariables = ["after"] });
        Assert.True(r.Succeeded, r.FailureMessage);
        Assert.Contains("[output truncated: the cell wrote more than 2,000,000 characters]", r.Cells[0].Stdout);
        Assert.InRange(r.Cells[0].Stdout.Length, 2_000_000, 2_100_000);
        Assert.Equal("still running", r.Variable<string>("after"));
        Assert.InRange(new FileInfo(r.OutputPath!).Length, 1_000_000, 4_000_000);
    }

    [Fact]
    public async Task A_notebook_of_ten_thousand_cells_runs_when_its_code_cells_are_within_the_limit()
    {
        var dir = Fixtures.NewOutputDirectory();
        var cells = new List<string> { "var total = 0;" };
        for (var i = 1; i < 9_999; i++) cells.Add(i % 50 == 0 ? "total += 1;" : $"# Section {i}");   // 199 code cells, the rest prose
        cells.Add("var done = total;");
        Assert.Equal(10_000, cells.Count);
        var path = Fixtures.WriteNotebook(dir, "ten-thousand.ipynb", cells);
        var r = await NotebookExecution.RunAsync(path, new() { OutputPath = Path.Combine(dir, "out.ipynb"), CaptureVariables = ["done"] });
        Assert.True(r.Succeeded, r.FailureMessage);
        Assert.Equal(199, r.Variable<int>("done"));
        Assert.Equal(10_000, JsonNode.Parse(File.ReadAllText(r.OutputPath!))!["cells"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_notebook_with_more_code_cells_than_the_limit_is_refused_before_it_runs()
    {
        var dir = Fixtures.NewOutputDirectory();
        var path = Fixtures.WriteNotebook(dir, "ten-thousand-code.ipynb", Enumerable.Repeat("var x = 1;", 10_000));
        var e = await Assert.ThrowsAsync<NotebookRunner.Document.NotebookFormatException>(() =>
            NotebookExecution.RunAsync(path, new() { OutputPath = Path.Combine(dir, "out.ipynb") }));
        Assert.Contains("10,000 code cells to run; the runner runs at most 1,000 per notebook", e.Message);
        Assert.False(File.Exists(Path.Combine(dir, "out.ipynb")));
    }

    [Fact]
    public async Task Concurrent_runs_of_one_notebook_to_different_folders_do_not_interfere()
    {
        var source = Fixtures.Path_("parameters.ipynb");
        var before = SHA256.HashData(File.ReadAllBytes(source));
        var runs = Enumerable.Range(1, 3).Select(i => NotebookExecution.RunAsync(source, new()
        {
            OutputPath = Path.Combine(Fixtures.NewOutputDirectory(), "parameters.ipynb"),
            Parameters = new Dictionary<string, ParameterOverride> { ["epochs"] = ParameterOverride.Text($"{i}") },
            CaptureVariables = ["summary"],
        })).ToList();
        var results = await Task.WhenAll(runs);
        for (var i = 0; i < results.Length; i++)
        {
            Assert.True(results[i].Succeeded, results[i].FailureMessage);
            Assert.StartsWith($"{i + 1}|", results[i].Variable<string>("summary"));
            Assert.Contains($"\"int epochs = {i + 1};\"", File.ReadAllText(results[i].OutputPath!));
        }
        Assert.Equal(3, results.Select(r => r.OutputPath).Distinct().Count());
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(source)));
    }

    [Fact]
    public async Task Duplicate_parameters_cells_are_refused_before_anything_runs()
    {
        var e = await Assert.ThrowsAsync<ParameterException>(() => NotebookExecution.RunAsync(Fixtures.Path_("two-parameter-cells.ipynb"),
            new() { OutputPath = Path.Combine(Fixtures.NewOutputDirectory(), "x.ipynb") }));
        Assert.Contains("2 cells are tagged 'parameters'", e.Message);
    }
}
