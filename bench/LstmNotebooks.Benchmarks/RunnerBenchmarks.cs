using System.Text.Json.Nodes;
using NotebookRunner.Host;

namespace LstmNotebooks.Benchmarks;

/// <summary>
/// What the kernel costs a notebook, from a small notebook run end to end through <see cref="NotebookExecution.RunAsync"/>
/// (a fresh kernel process each time, started as VS Code starts it): the kernel's start until it reports ready, the
/// runner's own time around it until the first cell starts, the first cell (`1 + 1`), the `#r` cell that restores
/// TorchSharp and loads it with the helper library, and a typical cell — chapter 3's model class, read from the notebook.
/// </summary>
public sealed class RunnerBenchmarks(BenchSettings settings)
{
    private string[] Cells()
    {
        var modelCell = NotebookRunner.Document.NotebookReader.Read(Path.Combine(settings.RepositoryRoot, "notebooks", "03-airline-windowing.ipynb"))
            .CodeCells.Single(c => c.Source.Contains("class AirModel", StringComparison.Ordinal)).Source;
        return [
            "1 + 1",
            """
            #r "nuget: TorchSharp-cpu, 0.107.0"
            #r "LIBRARY"
            using TorchSharp;
            using TorchSharp.Modules;
            using static TorchSharp.torch;
            using LstmNotebooks.Runtime;
            TorchRuntime.EnsureAvailable().ToString()
            """,
            modelCell,
        ];
    }

    public IReadOnlyList<Measurement> Run()
    {
        // Inside the repository, as the chapters are: the kernel is the one its tool manifest pins.
        var directory = Directory.CreateDirectory(Path.Combine(settings.RepositoryRoot, "artifacts", "bench", "kernel-costs"));
        var path = Path.Combine(directory.FullName, "kernel-costs.ipynb");
        File.WriteAllText(path, Notebook(Cells(), settings.LibraryDll));
        var repeats = settings.Quick ? 2 : 5;
        var (ready, runnerOwn, firstCell, loadTorch, typicalCell) = (new List<double>(), new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var i = 0; i < repeats + 1; i++)   // the first round warms the file cache and is not counted
        {
            var started = DateTimeOffset.Now;
            var result = NotebookExecution.RunAsync(path).GetAwaiter().GetResult();
            if (!result.Succeeded) throw new InvalidOperationException($"the kernel-costs notebook failed: {result.FailureMessage}");
            if (i == 0) continue;
            var readyMs = result.KernelReadyAfter!.Value.TotalMilliseconds;
            ready.Add(readyMs);
            runnerOwn.Add((result.Cells[0].Start!.Value - started).TotalMilliseconds - readyMs);
            firstCell.Add(result.Cells[0].Duration.TotalMilliseconds);
            loadTorch.Add(result.Cells[1].Duration.TotalMilliseconds);
            typicalCell.Add(result.Cells[2].Duration.TotalMilliseconds);
        }
        return
        [
            Summarise("kernel: start until ready", "notebook", ready, "`dotnet tool run dotnet-interactive -- [vscode] stdio` until KernelReady"),
            Summarise("runner: its own time to the first cell", "notebook", runnerOwn, "read the notebook, start the process, submit the first cell (the kernel's start excluded)"),
            Summarise("kernel: first cell", "cell", firstCell, "`1 + 1`: the kernel's first submission"),
            Summarise("kernel: restore + load TorchSharp + library", "cell", loadTorch, "#r \"nuget: TorchSharp-cpu\" (the kernel's restore) and the helper library, loading libtorch"),
            Summarise("kernel: a typical cell", "cell", typicalCell, "chapter 3's model cell, compiled and run by the kernel"),
        ];
    }

    private static Measurement Summarise(string name, string unit, List<double> samples, string note)
    {
        var m = new Measurement(name, unit, Harness.Median(samples), samples.Min(), samples.Max(), samples.Count, note);
        Console.Error.WriteLine($"  {name,-34} {m.MedianMs,12:F1} ms  (min {m.MinMs:F1}, max {m.MaxMs:F1})");
        return m;
    }

    private static string Notebook(string[] sources, string libraryDll)
    {
        var cells = new JsonArray();
        foreach (var source in sources)
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code",
                ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
                ["source"] = source.Replace("LIBRARY", libraryDll),
                ["outputs"] = new JsonArray(),
                ["execution_count"] = null,
            });
        var notebook = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return notebook.ToJsonString();
    }
}
