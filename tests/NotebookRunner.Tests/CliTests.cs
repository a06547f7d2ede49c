using NotebookRunner.Cli;

namespace NotebookRunner.Tests;

public class CliTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await RunnerCli.RunAsync(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Help_explains_every_option()
    {
        var (code, output, _) = await Run("--help");
        Assert.Equal(RunnerCli.Passed, code);
        foreach (var option in new[] { "--out", "--param", "--params-file", "--cell-timeout", "--timeout", "--continue-on-error", "--fail-fast", "--in-place", "--no-html" })
            Assert.Contains(option, output);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--param")]
    [InlineData("--param", "noequals")]
    [InlineData("--timeout", "soon")]
    [InlineData("does-not-exist.ipynb")]
    public async Task Usage_errors_exit_with_2(params string[] args)
    {
        var (code, _, errors) = await Run(args);
        Assert.Equal(RunnerCli.UsageError, code);
        Assert.StartsWith("error: ", errors);
    }

    [Fact]
    public async Task A_params_file_must_hold_an_object()
    {
        var file = Path.Combine(Fixtures.NewOutputDirectory(), "p.json");
        File.WriteAllText(file, "[1, 2]");
        var (code, _, errors) = await Run(Fixtures.Path_("parameters.ipynb"), "--params-file", file);
        Assert.Equal(RunnerCli.UsageError, code);
        Assert.Contains("must hold a JSON object", errors);
    }

    [Fact]
    public async Task A_run_prints_progress_and_a_summary_and_writes_notebooks_pages_and_an_index()
    {
        var outDir = Fixtures.NewOutputDirectory();
        var (code, output, _) = await Run(Fixtures.Path_("state-across-cells.ipynb"), Fixtures.Path_("throwing-cell.ipynb"), "--out", outDir);

        Assert.Equal(RunnerCli.Failed, code); // throwing-cell fails; state-across-cells passes
        Assert.Contains("▶ state-across-cells.ipynb (6 code cells)", output);
        Assert.Contains("  [ 4/6] cell 5 …", output);
        Assert.Contains("│ 42 a,b ok", output);
        Assert.Matches(@"state-across-cells\.ipynb\s+6/6\s+passed", output);
        Assert.Matches(@"throwing-cell\.ipynb\s+1/3\s+FAILED", output);
        Assert.Contains("throwing-cell.ipynb: cell 2: System.DivideByZeroException: Attempted to divide by zero.", output);
        Assert.Contains("1 passed, 1 failed", output);
        foreach (var f in new[] { "state-across-cells.ipynb", "state-across-cells.html", "throwing-cell.ipynb", "throwing-cell.html", "index.html" })
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        var index = File.ReadAllText(Path.Combine(outDir, "index.html"));
        Assert.Contains("href=\"state-across-cells.html\"", index);
        Assert.Contains("FAILED", index);
    }

    [Fact]
    public async Task Parameters_from_a_file_and_the_command_line_reach_every_notebook()
    {
        var outDir = Fixtures.NewOutputDirectory();
        var paramsFile = Path.Combine(outDir, "p.json");
        File.WriteAllText(paramsFile, """{"epochs": 12, "quick": true}""");
        var (code, output, _) = await Run(Fixtures.Path_("parameters.ipynb"), "--out", outDir, "--params-file", paramsFile, "--param", "label=cli");
        Assert.Equal(RunnerCli.Passed, code);
        Assert.Contains("▶ parameters.ipynb (3 code cells)", output); // with the injected-parameters cell
        Assert.Contains("│ 12|0.001|cli|True|42|0.5|1000000", output);

        // A notebook without a parameters cell cannot take them: that notebook fails, with the reason.
        (code, output, _) = await Run(Fixtures.Path_("state-across-cells.ipynb"), "--out", outDir, "--param", "epochs=1");
        Assert.Equal(RunnerCli.Failed, code);
        Assert.Contains("no cell is tagged 'parameters'", output);
    }

    [Fact]
    public async Task A_string_in_a_params_file_where_a_number_is_declared_is_refused_naming_the_parameter_and_the_file()
    {
        var outDir = Fixtures.NewOutputDirectory();
        var paramsFile = Path.Combine(outDir, "strings.json");
        File.WriteAllText(paramsFile, """{"epochs": "10"}""");
        var (code, output, _) = await Run(Fixtures.Path_("parameters.ipynb"), "--out", outDir, "--params-file", paramsFile);
        Assert.Equal(RunnerCli.Failed, code);
        Assert.Contains($"parameter 'epochs' expects a whole number (int), got \"10\" (from {paramsFile})", output);
        // The same text on the command line is typed as the parameter's type.
        (code, _, _) = await Run(Fixtures.Path_("parameters.ipynb"), "--out", outDir, "--param", "epochs=10");
        Assert.Equal(RunnerCli.Passed, code);
    }

    [Fact]
    public async Task A_params_file_section_applies_to_its_notebook_only_and_command_line_values_win()
    {
        var outDir = Fixtures.NewOutputDirectory();
        var paramsFile = Path.Combine(outDir, "p.json");
        File.WriteAllText(paramsFile, """
            { "label": "global",
              "parameters.ipynb": { "epochs": 5, "label": "section" },
              "other-notebook.ipynb": { "unknown": 1 } }
            """);
        var (code, output, _) = await Run(Fixtures.Path_("parameters.ipynb"), Fixtures.Path_("state-across-cells.ipynb"),
            "--out", outDir, "--params-file", paramsFile, "--param", "quick=true");
        // The section beats the file-wide "label"; --param applies everywhere. state-across-cells has no parameters cell.
        Assert.Contains("│ 5|0.001|section|True|42|0.5|1000000", output);
        Assert.Contains("state-across-cells.ipynb: parameters were given (label, quick) but no cell is tagged 'parameters'", output);
        Assert.Equal(RunnerCli.Failed, code);

        File.WriteAllText(paramsFile, """{ "parameters.ipynb": { "epochs": 7 }, "state-across-cells.ipynb": { } }""");
        (code, output, _) = await Run(Fixtures.Path_("parameters.ipynb"), Fixtures.Path_("state-across-cells.ipynb"), "--out", outDir, "--params-file", paramsFile);
        Assert.Equal(RunnerCli.Passed, code);
        Assert.Contains("│ 7|0.001|tutorial|False|42|0.5|1000000", output);
    }

    [Fact]
    public async Task Fail_fast_stops_after_the_first_failed_notebook()
    {
        var outDir = Fixtures.NewOutputDirectory();
        var (code, output, _) = await Run(Fixtures.Path_("compile-error.ipynb"), Fixtures.Path_("parameters.ipynb"), "--out", outDir, "--fail-fast", "--no-html");
        Assert.Equal(RunnerCli.Failed, code);
        Assert.DoesNotContain("▶ parameters.ipynb", output);
        Assert.False(File.Exists(Path.Combine(outDir, "index.html")));
    }

    [Fact]
    public async Task An_unreadable_notebook_fails_the_run_with_its_reason()
    {
        var (code, output, _) = await Run(Fixtures.Path_("nbformat3.ipynb"), "--out", Fixtures.NewOutputDirectory());
        Assert.Equal(RunnerCli.Failed, code);
        Assert.Contains("nbformat 3 is not supported", output);
    }

    [Fact]
    public async Task An_unreadable_notebook_with_an_output_folder_that_does_not_exist_yet_still_gets_its_index()
    {
        var outDir = Path.Combine(Fixtures.NewOutputDirectory(), "not", "yet");
        var (code, output, errors) = await Run(Fixtures.Path_("bad-json.ipynb"), "--out", outDir);
        Assert.Equal(RunnerCli.Failed, code);
        Assert.Equal("", errors);
        Assert.Contains("✗ ", output);
        Assert.Contains("FAILED", File.ReadAllText(Path.Combine(outDir, "index.html")));
    }

    [Fact]
    public async Task An_output_folder_that_cannot_be_created_is_a_one_line_usage_error()
    {
        var file = Path.Combine(Fixtures.NewOutputDirectory(), "a-file");
        File.WriteAllText(file, "");
        var (code, _, errors) = await Run(Fixtures.Path_("parameters.ipynb"), "--out", Path.Combine(file, "out"));
        Assert.Equal(RunnerCli.UsageError, code);
        Assert.StartsWith("error: cannot create the output folder", errors);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Fact]
    public async Task Output_into_the_source_folder_is_refused()
    {
        var (code, _, errors) = await Run(Fixtures.Path_("parameters.ipynb"), "--out", Fixtures.Directory);
        Assert.Equal(RunnerCli.UsageError, code);
        Assert.Contains("--in-place", errors);
    }
}
