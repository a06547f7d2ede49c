using System.Text.Json.Nodes;
using NotebookRunner.Kernel;

namespace NotebookRunner.Tests;

/// <summary>The kernel's launch as VS Code builds it, and its events turned into a cell's outputs and errors.</summary>
public class KernelTests
{
    private static readonly string Root = LstmNotebooks.TestSupport.RepositoryPaths.Root;

    [Fact]
    public async Task The_devcontainers_settings_start_a_kernel_that_reports_ready_and_runs_a_cell()
    {
        // As the Polyglot extension builds the launch: the settings' template, or its defaults where a setting is
        // absent. {global_storage_path} is where the extension keeps the tool and its manifest; here, the repository's.
        var devcontainer = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, ".devcontainer", "devcontainer.json")))!;
        var settings = devcontainer["customizations"]!["vscode"]!["settings"]!.AsObject();
        var arguments = settings["dotnet-interactive.kernelTransportArgs"] is JsonArray a
            ? a.Select(x => (string)x!).ToList() : KernelLaunch.DefaultArguments;
        var workingDirectory = (string?)settings["dotnet-interactive.kernelTransportWorkingDirectory"] ?? KernelLaunch.DefaultWorkingDirectory;
        var notebooks = Path.Combine(Root, "notebooks");
        var launch = KernelLaunch.FromTemplate(arguments, workingDirectory, notebooks, Root, DotNet.HostPath());

        var job = new NotebookJob(Path.Combine(notebooks, "x.ipynb"), notebooks, [new JobCell(0, "cell 1", "1 + 1", "csharp")], false, []);
        await using var session = KernelSession.Start(job, launch, new Dictionary<string, string>());
        var events = new List<CellEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await foreach (var e in session.Events.ReadAllAsync(timeout.Token)) events.Add(e);
        Assert.NotNull(session.ReadyAfter);
        var result = Assert.Single(events.OfType<CellEvent.ResultReturned>());
        Assert.Contains("<pre>2</pre>", result.Data["text/html"]);
        Assert.Null(Assert.Single(events.OfType<CellEvent.CellFinished>()).Error);
        Assert.Single(events.OfType<CellEvent.SessionDone>());
    }

    [Fact]
    public void An_empty_launch_setting_is_refused_with_what_to_do()
    {
        var e = Assert.Throws<KernelStartException>(() => KernelLaunch.FromTemplate([], "{global_storage_path}", "/n", "/t", "dotnet"));
        Assert.Contains("dotnet-interactive.kernelTransportArgs has no program", e.Message);
        Assert.Contains("Remove the setting", e.Message);
    }

    [Fact]
    public void The_default_launch_is_the_extensions_with_the_placeholders_filled()
    {
        var launch = KernelLaunch.FromTemplate(KernelLaunch.DefaultArguments, KernelLaunch.DefaultWorkingDirectory, "/repo/notebooks", "/repo", "/usr/bin/dotnet");
        Assert.Equal("/usr/bin/dotnet", launch.Program);
        Assert.Equal(["tool", "run", "dotnet-interactive", "--", "[vscode]", "stdio", "--working-dir", "/repo/notebooks"], launch.Arguments);
        Assert.Equal("/repo", launch.WorkingDirectory);
        Assert.Equal(Root, KernelLaunch.FindToolDirectory(Path.Combine(Root, "notebooks")));
    }

    private static readonly JobCell Cell = new(3, "cell 4", "var a = 1;\nint b = \"x\";\nConsole.WriteLine(a);", "csharp");

    private static JsonObject Event(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void A_compile_error_is_placed_at_the_diagnostics_line_and_column_and_warnings_are_kept_apart()
    {
        var events = new KernelEvents(Cell);
        Assert.Null(events.Translate("DiagnosticsProduced", Event("""
            {"diagnostics": [
              {"linePositionSpan": {"start": {"line": 0, "character": 4}, "end": {"line": 0, "character": 5}}, "severity": "warning", "code": "CS0219", "message": "assigned but never used"},
              {"linePositionSpan": {"start": {"line": 1, "character": 8}, "end": {"line": 1, "character": 11}}, "severity": "error", "code": "CS0029", "message": "Cannot implicitly convert type 'string' to 'int'"}],
             "formattedDiagnostics": []}
            """)));
        var finished = events.Finish(false, "(2,9): error CS0029: Cannot implicitly convert type 'string' to 'int'");
        Assert.Equal(3, finished.Position);
        var e = finished.Error!;
        Assert.Equal((CellError.Compile, "CS0029", 2, 9), (e.Kind, e.Name, e.Line, e.Column));
        Assert.Equal("int b = \"x\";", e.SourceLine);
        Assert.Equal(["(1,5): warning CS0219: assigned but never used"], finished.Diagnostics);
    }

    [Fact]
    public void An_exception_is_named_by_its_type_and_keeps_the_kernels_stack_trace()
    {
        var finished = new KernelEvents(Cell).Finish(false,
            "System.InvalidOperationException: boom\n   at Submission#3.F()\n   at Submission#3.<<Initialize>>d__0.MoveNext()");
        var e = finished.Error!;
        Assert.Equal((CellError.Runtime, "System.InvalidOperationException", "boom"), (e.Kind, e.Name, e.Message));
        Assert.Null(e.Line);
        Assert.Equal(3, e.Traceback.Count);
        var other = new KernelEvents(Cell).Finish(false, "Newtonsoft.Json version 12.0.3 cannot be added because version 13.0.1 was added previously.");
        Assert.Equal(("Error", "Newtonsoft.Json version 12.0.3 cannot be added because version 13.0.1 was added previously."), (other.Error!.Name, other.Error.Message));
    }

    [Fact]
    public void Outputs_are_what_VS_Code_shows_and_an_ErrorProduced_fails_a_command_that_succeeded()
    {
        var events = new KernelEvents(Cell);
        var shown = events.Translate("DisplayedValueProduced", Event("""
            {"formattedValues": [{"mimeType": "text/html", "value": "<b>x</b>", "suppressDisplay": false},
                                 {"mimeType": "text/plain", "value": "x", "suppressDisplay": true}], "valueId": "v1"}
            """));
        var displayed = Assert.IsType<CellEvent.Displayed>(shown);
        Assert.Equal("v1", displayed.DisplayId);
        Assert.Equal(["text/html"], displayed.Data.Keys);
        var stream = Assert.IsType<CellEvent.StreamWritten>(events.Translate("StandardErrorValueProduced",
            Event("""{"formattedValues": [{"mimeType": "text/plain", "value": "oops\n", "suppressDisplay": false}], "valueId": null}""")));
        Assert.Equal(("stderr", "oops\n"), (stream.Name, stream.Text));
        Assert.Null(events.Translate("DisplayedValueProduced", Event("""{"formattedValues": [{"mimeType": "text/plain", "value": "hidden", "suppressDisplay": true}]}""")));
        Assert.Null(events.Finish(true, null).Error);
        Assert.Null(events.Translate("ErrorProduced", Event("""{"message": "something went wrong"}""")));
        Assert.Equal("something went wrong", events.Finish(true, null).Error!.Message);
    }
}
