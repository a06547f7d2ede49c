using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookRunner.Host;
using NotebookRunner.Kernel;

namespace NotebookRunner.Tests;

/// <summary>The executed notebook is written as the run goes (papermill saves after every cell), so a stopped run keeps what ran.</summary>
public class InterruptTests
{
    [Fact]
    public async Task The_executed_notebook_holds_the_finished_cells_while_the_next_one_runs()
    {
        var output = Path.Combine(Fixtures.NewOutputDirectory(), "infinite-loop.ipynb");
        JsonNode? seenWhileRunning = null;
        using var stop = new CancellationTokenSource();   // no timeout: a cold first cell on a loaded machine takes seconds
        var r = await NotebookExecution.RunAsync(Fixtures.Path_("infinite-loop.ipynb"), new() { OutputPath = output },
            p =>
            {
                if (p is not { Kind: RunProgressKind.CellStarted, Cell.Cell.Number: 2 }) return;
                seenWhileRunning = JsonNode.Parse(File.ReadAllText(output));
                stop.Cancel();
            },
            stop.Token);
        Assert.NotNull(seenWhileRunning);
        Assert.Equal("running", (string?)seenWhileRunning["metadata"]!["notebook_runner"]!["status"]);
        Assert.Equal("completed", (string?)seenWhileRunning["cells"]![0]!["metadata"]!["notebook_runner"]!["status"]);
        Assert.Equal("not-run", (string?)seenWhileRunning["cells"]![1]!["metadata"]!["notebook_runner"]!["status"]);
        Assert.Equal(CellError.Interrupted, r.Cells[1].Error!.Kind);
    }

    [Fact]
    public async Task Cancelling_stops_the_running_cell_keeps_the_cells_that_ran_and_marks_the_interrupted_one()
    {
        var output = Path.Combine(Fixtures.NewOutputDirectory(), "infinite-loop.ipynb");
        using var interrupt = new CancellationTokenSource();
        var r = await NotebookExecution.RunAsync(Fixtures.Path_("infinite-loop.ipynb"), new() { OutputPath = output },
            p => { if (p is { Kind: RunProgressKind.CellStarted, Cell.Cell.Number: 2 }) interrupt.CancelAfter(TimeSpan.FromSeconds(1)); },
            interrupt.Token);
        Assert.False(r.Succeeded);
        Assert.Equal(CellStatus.Completed, r.Cells[0].Status);
        Assert.Equal(CellError.Interrupted, r.Cells[1].Error!.Kind);
        Assert.Contains("cell 2: the run was interrupted", r.FailureMessage);
        var written = JsonNode.Parse(File.ReadAllText(output))!;
        Assert.Equal("interrupted", (string?)written["cells"]![1]!["metadata"]!["notebook_runner"]!["status"]);
        Assert.Equal("Interrupted", (string?)written["cells"]![1]!["outputs"]![0]!["ename"]);
        Assert.Equal("failed", (string?)written["metadata"]!["notebook_runner"]!["status"]);
    }

    [Fact]
    public async Task SIGTERM_to_the_runner_keeps_the_cells_that_ran_says_so_and_exits_with_130()
    {
        var outDir = Fixtures.NewOutputDirectory();
        var start = RunnerProcess.StartInfo([Fixtures.Path_("infinite-loop.ipynb"), "--out", outDir]);
        using var runner = Process.Start(start)!;
        var stderr = runner.StandardError.ReadToEndAsync();
        var stdout = runner.StandardOutput.ReadToEndAsync();
        var executed = Path.Combine(outDir, "infinite-loop.ipynb");
        var deadline = DateTime.UtcNow.AddSeconds(120);
        // Wait until cell 1 has finished and been written (the runner is then in cell 2, which never ends).
        while (DateTime.UtcNow < deadline && !(File.Exists(executed) && File.ReadAllText(executed).Contains("\"completed\"", StringComparison.Ordinal)))
            await Task.Delay(200);
        Assert.True(File.Exists(executed), "the runner wrote nothing within 120 s");
        await Task.Delay(500);
        Assert.Equal(0, Kill(runner.Id, 15));
        Assert.True(runner.WaitForExit(TimeSpan.FromSeconds(60)), "the runner did not exit after SIGTERM");
        Assert.Equal(130, runner.ExitCode);
        Assert.Contains("interrupted:", await stderr);
        await stdout;
        var written = JsonNode.Parse(File.ReadAllText(executed))!;
        Assert.Equal("completed", (string?)written["cells"]![0]!["metadata"]!["notebook_runner"]!["status"]);
        Assert.Equal("interrupted", (string?)written["cells"]![1]!["metadata"]!["notebook_runner"]!["status"]);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

/// <summary>How to start the runner's command line as its own process from a test.</summary>
internal static class RunnerProcess
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var assembly = typeof(NotebookExecution).Assembly.Location;
        var start = new ProcessStartInfo(DotNet.HostPath())
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = LstmNotebooks.TestSupport.RepositoryPaths.Root,
        };
        start.ArgumentList.Add(assembly);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        return start;
    }
}
