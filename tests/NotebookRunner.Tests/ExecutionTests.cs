using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NotebookRunner.Document;
using NotebookRunner.Kernel;
using NotebookRunner.Host;
using NotebookRunner.Parameters;

namespace NotebookRunner.Tests;

/// <summary>Fixture notebooks through the real kernel (the one VS Code installs): outputs as VS Code saves them, errors, isolation.</summary>
public class ExecutionTests
{
    [Fact]
    public async Task Variables_types_and_usings_carry_over_and_a_trailing_expression_is_the_result()
    {
        var r = await Fixtures.RunAsync("state-across-cells.ipynb", new() { CaptureVariables = ["count", "words"] });
        Assert.True(r.Succeeded, r.FailureMessage);
        var result = Assert.Single(r.Cells[3].Outputs);
        Assert.Equal(OutputKind.Result, result.Kind);
        Assert.Contains("{\"X\":42,\"Y\":2}", result.PlainText);
        Assert.Equal("42 a,b ok\n", r.Cells[4].Stdout);
        Assert.DoesNotContain(r.Cells[5].Outputs, o => o.Kind == OutputKind.Result); // void call: nothing shown
        Assert.Empty(r.Cells[6].Outputs);                                            // `Math.Max(count, 2);` ends with a semicolon
        Assert.Equal(42, r.Variable<int>("count"));
        Assert.Equal(["a", "b"], r.Variable<string[]>("words"));
        Assert.Equal([1, 2, 3, 4, 5, 6], r.Cells.Where(c => c.Cell.Kind == CellKind.Code).Select(c => c.ExecutionCount ?? 0));
    }

    [Fact]
    public async Task A_cell_can_be_run_with_another_source_by_its_id_and_the_executed_notebook_shows_what_ran()
    {
        var source = File.ReadAllText(Path.Combine(Fixtures.Directory, "state-across-cells.ipynb"));
        var r = await Fixtures.RunAsync("state-across-cells.ipynb", new()
        {
            CellSources = new Dictionary<string, string> { ["c2"] = "var count = 99;\nrecord Point(int X, int Y);" },
            CaptureVariables = ["count"],
        });
        Assert.True(r.Succeeded, r.FailureMessage);
        Assert.Equal(100, r.Variable<int>("count"));
        var executed = JsonNode.Parse(File.ReadAllText(r.OutputPath!))!["cells"]!.AsArray();
        Assert.Equal("var count = 99;\nrecord Point(int X, int Y);", string.Concat(executed[1]!["source"]!.AsArray().Select(l => (string?)l)));
        Assert.Equal(source, File.ReadAllText(Path.Combine(Fixtures.Directory, "state-across-cells.ipynb")));   // the source is not changed

        var unknown = await Record.ExceptionAsync(() => Fixtures.RunAsync("state-across-cells.ipynb",
            new() { CellSources = new Dictionary<string, string> { ["m1"] = "1" } }));
        Assert.Contains("no code cell has the id 'm1'", Assert.IsType<NotebookFormatException>(unknown).Message);

        var parametersCell = NotebookReader.Read(Path.Combine(Fixtures.Directory, "parameters.ipynb")).Cells.Single(c => c.HasTag("parameters"));
        var refused = await Record.ExceptionAsync(() => Fixtures.RunAsync("parameters.ipynb",
            new() { CellSources = new Dictionary<string, string> { [(string)parametersCell.Json["id"]!] = "var x = 1;" } }));
        Assert.Contains("is the parameters cell: give parameters instead", Assert.IsType<NotebookFormatException>(refused).Message);
    }

    [Fact]
    public async Task A_kernel_that_does_not_report_ready_in_time_is_stopped_and_the_launch_named()
    {
        var r = await Fixtures.RunAsync("state-across-cells.ipynb", new() { KernelStartTimeout = TimeSpan.FromMilliseconds(1) });
        Assert.False(r.Succeeded);
        Assert.Contains("did not report ready within 00:00:00.0010000; it was stopped", r.FailureMessage);
        Assert.Contains("tool run dotnet-interactive -- [vscode] stdio --working-dir", r.FailureMessage);
        Assert.All(r.Cells.Where(c => c.Cell.Kind == CellKind.Code), c => Assert.Equal(CellStatus.NotRun, c.Status));
        Assert.True(File.Exists(r.OutputPath));
    }

    [Fact]
    public async Task An_epilogue_derives_values_the_kernel_cannot_serialise_and_its_failure_fails_the_run()
    {
        var directory = Fixtures.NewOutputDirectory();
        var path = Fixtures.WriteNotebook(directory, "grid.ipynb", ["var grid = new float[,] { { 1.5f, 2f }, { 3f, 4.25f } };"]);
        var asIs = await NotebookExecution.RunAsync(path, new() { CaptureVariables = ["grid"] });
        Assert.Contains("the kernel has no value for the requested variable(s) grid", asIs.FailureMessage);   // RequestValue gives JSON: no float[,]
        var derived = await NotebookExecution.RunAsync(path, new()
        {
            Epilogue = "var rows = Enumerable.Range(0, 2).Select(i => new[] { grid[i, 0], grid[i, 1] }).ToArray();",
            CaptureVariables = ["rows"],
        });
        Assert.True(derived.Succeeded, derived.FailureMessage);
        Assert.Equal([[1.5f, 2f], [3f, 4.25f]], derived.Variable<float[][]>("rows"));
        Assert.Single(derived.Cells);   // not a cell of the executed notebook
        var failed = await NotebookExecution.RunAsync(path, new() { Epilogue = "int broken = \"x\";" });
        Assert.Contains("the code the host ran after the last cell failed: (1,14): error CS0029", failed.FailureMessage);
    }

    [Fact]
    public async Task Directives_resolve_packages_and_relative_assemblies_from_the_notebooks_folder()
    {
        var r = await Fixtures.RunAsync("directives.ipynb", new() { CaptureVariables = ["cwd", "libraryType"] });
        Assert.True(r.Succeeded, r.FailureMessage);
        Assert.Equal("6\n", r.Cells[0].Stdout);
        Assert.Equal(Fixtures.Directory, r.Variable<string>("cwd"));   // --working-dir: the notebook's folder, as in VS Code
        Assert.Equal("LstmNotebooks.Runtime.ThreadPolicy", r.Variable<string>("libraryType"));
        Assert.Matches(@"^Wall time: [0-9.]+ms$", Assert.Single(r.Cells[1].Outputs).PlainText);
    }

    [Fact]
    public async Task Every_kernel_process_is_ended_when_its_notebook_is_done_or_stopped()
    {
        // The kernel does not exit when its stdin closes (it spins a core until killed): the runner kills it, on
        // every path, and returns once it has ended. The cell prints the kernel's own process id (the tests run in
        // the same process namespace). A killed process not yet reaped by its parent (a zombie) has ended.
        var directory = Fixtures.NewOutputDirectory();
        var finished = Fixtures.WriteNotebook(directory, "finished.ipynb", ["Console.WriteLine(Environment.ProcessId);"]);
        var stopped = Fixtures.WriteNotebook(directory, "stopped.ipynb", ["Console.WriteLine(Environment.ProcessId);", "while (true) { }"]);
        var done = await NotebookExecution.RunAsync(finished);
        using var stop = new CancellationTokenSource();   // stopped once the endless cell runs (no timeout: a cold first cell takes seconds)
        var interrupted = await NotebookExecution.RunAsync(stopped, null,
            p => { if (p is { Kind: RunProgressKind.CellStarted, Cell.Cell.Number: 2 }) stop.CancelAfter(TimeSpan.FromSeconds(1)); }, stop.Token);
        Assert.True(done.Succeeded, done.FailureMessage);
        Assert.Equal(CellError.Interrupted, interrupted.Cells[1].Error!.Kind);
        foreach (var r in new[] { done, interrupted })
        {
            var pid = int.Parse(r.Cells[0].Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(ProcessTree.IsRunning(pid), $"the kernel process {pid} is still running after {Path.GetFileName(r.NotebookPath)}");
        }
    }

    [Theory]
    [InlineData("unknown-package.ipynb", 2, null, "error NU1101: Unable to find package Newtonsoft.Json.Bogus")]
    [InlineData("version-conflict.ipynb", 2, null, "Newtonsoft.Json version 12.0.3 cannot be added because version 13.0.1 was added previously")]
    [InlineData("unknown-magic.ipynb", 1, 2, "Unknown magic command '#!nosuchmagic'")]
    [InlineData("missing-dll.ipynb", 1, 1, "Metadata file 'does/not/exist.dll' could not be found")]
    public async Task Directive_errors_name_the_cell_and_where_the_kernel_says_the_line(string fixture, int cell, int? line, string expected)
    {
        var r = await Fixtures.RunAsync(fixture);
        Assert.False(r.Succeeded);
        Assert.True(r.FailedCell is not null, $"no cell failed; the run's failure: {r.FailureMessage}");
        var failed = r.FailedCell;
        Assert.Equal(cell, failed.Cell.Number);
        Assert.Equal(line, failed.Error!.Line);
        Assert.Contains(expected, failed.Error.Message);
        Assert.Contains(line is null ? $"cell {cell}: " : $"cell {cell}, line {line}", r.FailureMessage);
        Assert.All(r.Cells.Where(c => c.Cell.Number < cell), c => Assert.Equal(CellStatus.Completed, c.Status));
    }

    [Fact]
    public async Task Display_update_and_formatting_match_the_kernel()
    {
        var r = await Fixtures.RunAsync("display-and-formatting.ipynb");
        Assert.True(r.Succeeded, r.FailureMessage);

        // This kernel gives a display's updates an id of their own: VS Code keeps the first display and shows the
        // updates in one output of their own, replaced in place (notebookControllers.ts, applyCellOutput).
        var outputs = r.Cells[1].Outputs;
        Assert.Collection(outputs,
            o => Assert.Equal(("stdout", "before\n"), (o.StreamName!, o.Text)),
            o => { Assert.Equal("step 0", o.PlainText); Assert.Equal(0, o.UpdateCount); },
            o => { Assert.Equal("step 3", o.PlainText); Assert.Equal(2, o.UpdateCount); },
            o => Assert.Equal(("stdout", "after\n"), (o.StreamName!, o.Text)),
            o => Assert.Equal("<b>bold</b>", o.Html),
            o => { Assert.Equal("42", o.PlainText); Assert.Null(o.Html); });

        var installed = Assert.Single(r.Cells[0].Outputs, o => o.Html?.Contains("Installed Packages") == true);
        Assert.Contains("<li><span>TorchSharp-cpu, 0.107.0</span></li>", installed.Html);
        Assert.Contains(r.Cells[0].Outputs, o => o.PlainText?.StartsWith("Loading extensions from `") == true
                                                 && o.PlainText.Contains("SkiaSharp.DotNet.Interactive.dll"));
        Assert.Contains(r.Cells[2].Diagnostics, d => d.Contains("warning CS1701"));   // the cell that uses TorchSharp, as in the kernel

        var tensor = Assert.Single(r.Cells[2].Outputs);
        Assert.Contains("[2], type = Float32", tensor.Html);
        Assert.Contains("2.5", tensor.Html);

        var chart = Assert.Single(r.Cells[3].Outputs);
        Assert.Contains("Plotly.newPlot", chart.Html);
        Assert.Contains("squares", chart.Html);
    }

    [Fact]
    public async Task A_package_outside_the_course_is_restored_from_the_sources_as_the_kernel_does()
    {
        var r = await Fixtures.RunAsync("package-outside-the-course.ipynb");
        Assert.True(r.Succeeded, r.FailureMessage);
        Assert.Contains(r.Cells[0].Outputs, o => o.Html?.Contains("<li><span>Newtonsoft.Json, 13.0.1</span></li>") == true);
        var result = Assert.Single(r.Cells[1].Outputs);
        Assert.Equal("{\"answer\":42}", result.PlainText);
    }

    [Fact]
    public async Task A_package_that_needs_a_newer_FSharp_Core_than_the_kernels_fails_as_in_VS_Code()
    {
        var r = await Fixtures.RunAsync("fsharp-core-conflict.ipynb");
        Assert.False(r.Succeeded);
        Assert.Equal(CellStatus.Completed, r.Cells[0].Status);                 // the restore itself succeeds, as in the kernel
        var error = r.FailedCell!.Error!;
        Assert.Equal(2, r.FailedCell.Cell.Number);
        Assert.Equal(CellError.Runtime, error.Kind);
        Assert.Equal("System.IO.FileNotFoundException", error.Name);
        Assert.Contains("FSharp.Core, Version=10.1.0.0", error.Message);        // the runtime's own words, as the kernel shows them
    }

    [Fact]
    public async Task A_cell_whose_script_has_a_result_shows_it_even_when_null_as_the_kernel_does()
    {
        var r = await Fixtures.RunAsync("null-result.ipynb");
        Assert.True(r.Succeeded, r.FailureMessage);
        // A return statement (here in a local function) gives the whole submission a result: null, shown as <null>.
        Assert.Equal("42\n", r.Cells[0].Stdout);
        Assert.Contains(r.Cells[0].Outputs, o => o.Kind == OutputKind.Result && o.Html?.Contains("<pre>&lt;null&gt;</pre>") == true);
        var result = Assert.Single(r.Cells[1].Outputs);
        Assert.Contains("<pre>&lt;null&gt;</pre>", result.Html);
    }

    [Fact]
    public async Task A_cell_that_starts_with_another_kernels_magic_runs_in_that_kernel()
    {
        var directory = Fixtures.NewOutputDirectory();
        var path = Fixtures.WriteNotebook(directory, "magic.ipynb", ["var x = 1;", "#!fsharp\nprintfn \"hello from F#\"", "#!pwsh\n\"hello from PowerShell\""]);
        var r = await NotebookExecution.RunAsync(path);
        Assert.True(r.Succeeded, r.FailureMessage);
        Assert.Equal("hello from F#\n", r.Cells[1].Stdout);
        Assert.Equal("hello from PowerShell\n", r.Cells[2].Stdout);
    }

    [Fact]
    public async Task A_magic_that_switches_kernels_inside_a_cell_sends_the_rest_of_the_cell_there()
    {
        var directory = Fixtures.NewOutputDirectory();
        var path = Fixtures.WriteNotebook(directory, "switch.ipynb", ["Console.WriteLine(\"C#\");\n#!fsharp\nprintfn \"F#\""]);
        var r = await NotebookExecution.RunAsync(path);
        Assert.True(r.Succeeded, r.FailureMessage);
        Assert.Equal("C#\nF#\n", r.Cells[0].Stdout);
    }

    [Fact]
    public async Task Parameter_defaults_run_unchanged()
    {
        var r = await Fixtures.RunAsync("parameters.ipynb", new() { CaptureVariables = ["summary"] });
        Assert.True(r.Succeeded, r.FailureMessage);
        Assert.Equal("500000|0.001|tutorial|False|42|0.5|1000000", r.Variable<string>("summary"));
        Assert.DoesNotContain(r.Cells, c => c.Cell.HasTag(NotebookParameters.InjectedTag));
    }

    [Fact]
    public async Task Injected_parameters_follow_the_parameters_cell_and_override_its_defaults()
    {
        var overrides = new Dictionary<string, ParameterOverride>
        {
            ["epochs"] = ParameterOverride.Text("10"), ["learningRate"] = ParameterOverride.Json(JsonValue.Create(0.5), "p.json"),
            ["label"] = ParameterOverride.Json(JsonValue.Create("x y"), "p.json"), ["quick"] = ParameterOverride.Text("true"),
            ["seed"] = ParameterOverride.Json(JsonValue.Create(7), "p.json"), ["scale"] = ParameterOverride.Text("2"),
        };
        var r = await Fixtures.RunAsync("parameters.ipynb", new() { Parameters = overrides, CaptureVariables = ["summary"] });
        Assert.True(r.Succeeded, r.FailureMessage);
        // `computed` was derived inside the parameters cell from the default, before the injection (papermill's semantics).
        Assert.Equal("10|0.5|x y|True|7|2|1000000", r.Variable<string>("summary"));
        Assert.True(r.Cells[2].Cell.HasTag(NotebookParameters.InjectedTag));
        Assert.True(r.Cells[1].Cell.HasTag(NotebookParameters.ParametersTag));

        var written = JsonNode.Parse(File.ReadAllText(r.OutputPath!))!;
        Assert.Equal("injected-parameters", (string?)written["cells"]![2]!["metadata"]!["tags"]![0]);
        Assert.Equal("injected-parameters", (string?)written["cells"]![2]!["id"]);
        Assert.Equal("10", (string?)written["metadata"]!["notebook_runner"]!["parameters"]!["epochs"]);
    }

    [Fact]
    public async Task An_undeclared_parameter_is_an_error()
    {
        var e = await Assert.ThrowsAsync<ParameterException>(() => Fixtures.RunAsync("parameters.ipynb",
            new() { Parameters = new Dictionary<string, ParameterOverride> { ["epoch"] = ParameterOverride.Text("1") } }));
        Assert.Contains("parameter 'epoch' (from --param) is not declared", e.Message);
    }

    [Fact]
    public async Task A_compile_error_reports_cell_line_column_and_source_and_stops_the_notebook()
    {
        var r = await Fixtures.RunAsync("compile-error.ipynb");
        Assert.False(r.Succeeded);
        var e = r.FailedCell!.Error!;
        Assert.Equal((2, 3, 9), (r.FailedCell.Cell.Number, e.Line!.Value, e.Column!.Value));   // from the kernel's diagnostic
        Assert.Equal((CellError.Compile, "CS0029"), (e.Kind, e.Name));
        Assert.StartsWith("Cannot implicitly convert type 'string' to 'int'", e.Message);
        Assert.Equal("int y = s;", e.SourceLine);
        Assert.Equal(CellStatus.NotRun, r.Cells[2].Status);
        Assert.Contains("compile-error.ipynb: cell 2, line 3, column 9: CS0029: Cannot implicitly convert", r.FailureMessage);
    }

    [Fact]
    public async Task Continue_on_error_runs_the_remaining_cells()
    {
        var r = await Fixtures.RunAsync("compile-error.ipynb", new() { ContinueOnError = true });
        Assert.False(r.Succeeded);
        Assert.Equal(CellStatus.Completed, r.Cells[2].Status);
        Assert.Equal("never runs\n", r.Cells[2].Stdout);
    }

    [Fact]
    public async Task After_a_failed_cell_the_next_cells_see_the_kernels_state()
    {
        // With --continue-on-error: a cell that failed to compile defines nothing, a cell that threw keeps what ran
        // before the throw, and a package added halfway reaches the cells after it.
        var r = await Fixtures.RunAsync("cells-after-failures.ipynb", new() { ContinueOnError = true, CaptureVariables = ["c"] });
        Assert.Equal(CellError.Compile, r.Cells[1].Error!.Kind);
        Assert.Equal("2\n", r.Cells[2].Stdout);
        Assert.Equal("referenced\n", r.Cells[3].Stdout);
        Assert.Equal("{\"a\":1}\n", r.Cells[4].Stdout);
        Assert.Equal("System.InvalidOperationException", r.Cells[5].Error!.Name);
        Assert.Equal("11\n", r.Cells[6].Stdout);
        Assert.Equal(CellError.Compile, r.Cells[7].Error!.Kind);
        Assert.Equal("CS0103", r.Cells[7].Error!.Name);   // b: declared only in the cell that did not compile
        Assert.Equal(11, r.Variable<int>("c"));
    }

    [Fact]
    public async Task A_throwing_cell_reports_the_exception_with_the_kernels_stack_trace()
    {
        var r = await Fixtures.RunAsync("throwing-cell.ipynb");
        var failed = r.FailedCell!;
        Assert.Equal(2, failed.Cell.Number);
        Assert.Equal(CellError.Runtime, failed.Error!.Kind);
        Assert.Equal("System.DivideByZeroException", failed.Error.Name);
        Assert.Equal("Attempted to divide by zero.", failed.Error.Message);
        Assert.Equal("about to fail\n", failed.Stdout);
        // The kernel's stack trace names the submissions, not lines: a runtime error names its cell only.
        Assert.Null(failed.Error.Line);
        Assert.StartsWith("System.DivideByZeroException: Attempted to divide by zero.", failed.Error.Traceback[0]);
        Assert.Contains(failed.Error.Traceback, l => l.Contains("Divide("));
        Assert.Contains("throwing-cell.ipynb: cell 2: System.DivideByZeroException: Attempted to divide by zero.", r.FailureMessage);
        Assert.Equal(CellStatus.NotRun, r.Cells[2].Status);
    }

    [Fact]
    public async Task An_infinite_loop_is_stopped_by_the_cell_timeout()
    {
        var started = DateTimeOffset.Now;
        // Generous enough for the first cell's compiler warm-up on a loaded 2-core machine.
        var r = await Fixtures.RunAsync("infinite-loop.ipynb", new() { CellTimeout = TimeSpan.FromSeconds(10) });
        Assert.True(DateTimeOffset.Now - started < TimeSpan.FromSeconds(60));
        Assert.Equal(CellStatus.Completed, r.Cells[0].Status);
        Assert.Equal(CellError.Timeout, r.Cells[1].Error!.Kind);
        Assert.Contains("per-cell timeout", r.Cells[1].Error!.Message);
        Assert.Equal(CellStatus.NotRun, r.Cells[2].Status);
    }

    [Fact]
    public async Task The_notebook_timeout_stops_the_kernel_too()
    {
        var r = await Fixtures.RunAsync("infinite-loop.ipynb", new() { NotebookTimeout = TimeSpan.FromSeconds(20) });
        Assert.Equal(CellStatus.Completed, r.Cells[0].Status);
        Assert.Contains("per-notebook timeout", r.Cells[1].Error!.Message);
    }

    [Theory]
    [InlineData("crash-failfast.ipynb", "going down")]
    [InlineData("crash-stack-overflow.ipynb", null)]
    public async Task A_crashing_kernel_fails_only_its_notebook_with_the_exit_code(string fixture, string? printed)
    {
        var r = await Fixtures.RunAsync(fixture);
        var e = r.FailedCell!.Error!;
        Assert.Equal(CellError.Crash, e.Kind);
        Assert.Matches("the kernel process exited with code [0-9]+ .*while running cell 1", e.Message);
        if (printed is not null) Assert.Contains(printed, r.Cells[0].Stdout);
        Assert.True(File.Exists(r.OutputPath));
    }

    [Fact]
    public async Task A_cell_whose_metadata_names_another_kernel_is_sent_to_it()
    {
        var r = await Fixtures.RunAsync("other-language.ipynb");
        Assert.True(r.Succeeded, r.FailureMessage);
        Assert.Equal("fsharp", r.Cells[1].Cell.Language);
        Assert.Equal("hello\n", r.Cells[1].Stdout);
    }

    [Fact]
    public async Task A_cell_tagged_skip_execution_is_left_out()
    {
        var r = await Fixtures.RunAsync("other-language-skipped.ipynb", new() { CaptureVariables = ["y"] });
        Assert.True(r.Succeeded, r.FailureMessage);
        Assert.Equal(CellStatus.Skipped, r.Cells[1].Status);
        Assert.Equal(2, r.Variable<int>("y"));
    }

    [Fact]
    public async Task The_older_notebook_shape_runs()
    {
        var r = await Fixtures.RunAsync("older-shape.ipynb");
        Assert.True(r.Succeeded, r.FailureMessage);
        Assert.Equal("hi there", r.Cells[2].Outputs.Single().PlainText);
    }

    [Fact]
    public async Task The_source_notebook_is_byte_identical_after_a_run_and_the_executed_one_is_valid()
    {
        var source = Fixtures.Path_("throwing-cell.ipynb");
        var before = SHA256.HashData(File.ReadAllBytes(source));
        var r = await Fixtures.RunAsync("throwing-cell.ipynb");
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(source)));

        var executed = JsonNode.Parse(File.ReadAllText(r.OutputPath!))!.AsObject();
        Assert.Equal(4, (int)executed["nbformat"]!);
        var cells = executed["cells"]!.AsArray();
        Assert.Equal(3, cells.Count);
        Assert.Equal(1, (int?)cells[0]!["execution_count"]);
        Assert.Equal("completed", (string?)cells[0]!["metadata"]!["notebook_runner"]!["status"]);
        Assert.NotNull(cells[0]!["metadata"]!["execution"]!["iopub.execute_input"]);
        var outputs = cells[1]!["outputs"]!.AsArray();
        Assert.Equal(["stream", "error"], outputs.Select(o => (string)o!["output_type"]!));
        Assert.Equal("System.DivideByZeroException", (string?)outputs[1]!["ename"]);
        Assert.Equal("failed", (string?)cells[1]!["metadata"]!["notebook_runner"]!["status"]);
        Assert.Equal("not-run", (string?)cells[2]!["metadata"]!["notebook_runner"]!["status"]);
        Assert.Null(cells[2]!["execution_count"]);
        Assert.Equal("failed", (string?)executed["metadata"]!["notebook_runner"]!["status"]);
        // and it reads back as a notebook
        Assert.Equal(3, NotebookReader.Read(r.OutputPath!).Cells.Count);
    }

    [Fact]
    public async Task Writing_over_the_source_needs_in_place()
    {
        var copy = Path.Combine(Fixtures.NewOutputDirectory(), "state.ipynb");
        File.Copy(Fixtures.Path_("state-across-cells.ipynb"), copy);
        await Assert.ThrowsAsync<ArgumentException>(() => NotebookExecution.RunAsync(copy, new() { OutputPath = copy }));
        var r = await NotebookExecution.RunAsync(copy, new() { OutputPath = copy, InPlace = true });
        Assert.True(r.Succeeded, r.FailureMessage);
        Assert.Contains("\"execution_count\": 1", File.ReadAllText(copy));
    }
}
