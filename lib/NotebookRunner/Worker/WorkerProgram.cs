using System.Text.Json;
using NotebookRunner.Document;
using NotebookRunner.Execution;

namespace NotebookRunner.Worker;

/// <summary>The worker process: runs one notebook's cells and reports every step to the host.</summary>
internal static class WorkerProgram
{
    public static async Task<int> RunAsync(string socketPath, string jobPath)
    {
        _ = ScriptKernel.WarmUpCompilerAsync();
        var job = JsonSerializer.Deserialize<WorkerJob>(await File.ReadAllTextAsync(jobPath), WorkerEvent.Json)
                  ?? throw new InvalidOperationException($"empty job file {jobPath}");
        using var sink = EventSink.Connect(socketPath);
        Directory.SetCurrentDirectory(job.WorkingDirectory);
        var stdout = new CapturingWriter(sink, "stdout");
        var stderr = new CapturingWriter(sink, "stderr");
        Console.SetOut(stdout);
        Console.SetError(stderr);

        using var kernel = new ScriptKernel(new NotebookGlobals(sink), PackageRestore.ForThisUser(), new KernelProcess(), job.WorkingDirectory, job.Cells);

        var failed = false;
        foreach (var cell in job.Cells)
        {
            if (failed && !job.ContinueOnError) break;
            sink.CurrentPosition = cell.Position;
            sink.Send(new WorkerEvent.CellStarted(cell.Position));
            CellError? error;
            try
            {
                error = cell.Language == CellLanguage.CSharp
                    ? await kernel.RunCellAsync(cell)
                    : new CellError(CellError.Language, "UnsupportedLanguage",
                        $"{cell.Label} is in '{cell.Language}', which the runner cannot execute (it runs C#); "
                        + "tag the cell 'skip-execution' to leave it out of headless runs", 1, 1, null,
                        [$"{cell.Label}: language '{cell.Language}' is not supported"]);
            }
            catch (Exception e)
            {
                var chain = new List<string>();
                for (var inner = e; inner is not null; inner = inner.InnerException)
                    chain.Add((inner == e ? "" : "---> ") + $"{inner.GetType().FullName}: {inner.Message}");
                chain.Add("(raised by the runner while running the cell)");
                error = new CellError(CellError.Runtime, e.GetType().FullName ?? "Exception", e.Message, null, null, null, chain);
            }
            stdout.FlushPending();
            stderr.FlushPending();
            sink.Send(new WorkerEvent.CellFinished(cell.Position, error, [.. kernel.Diagnostics]));
            failed |= error is not null;
        }

        sink.Send(new WorkerEvent.VariablesCaptured(kernel.Capture(job.CaptureVariables)));
        sink.Send(new WorkerEvent.WorkerDone());
        return 0;
    }
}
