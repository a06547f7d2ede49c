using System.Text.Json.Nodes;
using NotebookRunner.Host;

namespace LstmNotebooks.Benchmarks;

/// <summary>
/// The runner's own costs, from a small notebook run end to end through <see cref="NotebookExecution.RunAsync"/>
/// (a fresh worker process each time): the time from the call to the first cell starting, the first cell (Roslyn's
/// cold start), loading TorchSharp and the helper library, and compiling a typical cell — chapter 3's model class —
/// once Roslyn is warm.
/// </summary>
public sealed class RunnerBenchmarks(BenchSettings settings)
{
    /// <summary>Two set-up cells, then chapter 3's model class as the chapter has it (read from the notebook).</summary>
    private string[] Cells => [
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
        NotebookRunner.Document.NotebookReader.Read(Path.Combine(settings.RepositoryRoot, "notebooks", "03-airline-windowing.ipynb"))
            .CodeCells.Single(c => c.Source.Contains("class AirModel", StringComparison.Ordinal)).Source,
    ];

    public IReadOnlyList<Measurement> Run()
    {
        var directory = Directory.CreateTempSubdirectory("lstm-bench-");
        try
        {
            var path = Path.Combine(directory.FullName, "runner-bench.ipynb");
            var cellSources = Cells;
            File.WriteAllText(path, Notebook(cellSources, settings.LibraryDll));
            var repeats = settings.Quick ? 2 : 5;
            var toFirstCell = new List<double>();
            var cells = Enumerable.Range(0, cellSources.Length).Select(_ => new List<double>()).ToArray();
            for (var i = 0; i < repeats + 1; i++)   // the first run warms the file cache and is not counted
            {
                var started = DateTimeOffset.Now;
                var result = NotebookExecution.RunAsync(path).GetAwaiter().GetResult();
                if (!result.Succeeded) throw new InvalidOperationException($"the runner benchmark notebook failed: {result.FailureMessage}");
                if (i == 0) continue;
                toFirstCell.Add((result.Cells[0].Start!.Value - started).TotalMilliseconds);
                for (var c = 0; c < cellSources.Length; c++) cells[c].Add(result.Cells[c].Duration.TotalMilliseconds);
            }
            var measurements = new List<Measurement>
            {
                Summarise("runner: start to first cell", "notebook", toFirstCell, "read the notebook, start a worker process, connect"),
                Summarise("runner: first cell (cold Roslyn)", "cell", cells[0], "`1 + 1`: the first compile in a worker"),
                Summarise("runner: load TorchSharp + library", "cell", cells[1], "#r TorchSharp and the helper library, load libtorch"),
                Summarise("runner: compile a typical cell", "cell", cells[2], "chapter 3's model cell (compile only)"),
            };
            return measurements;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
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
