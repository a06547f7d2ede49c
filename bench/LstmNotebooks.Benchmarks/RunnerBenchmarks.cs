using System.Text.Json.Nodes;
using NotebookRunner.Host;

namespace LstmNotebooks.Benchmarks;

/// <summary>
/// The runner's own costs, from a small notebook run end to end through <see cref="NotebookExecution.RunAsync"/>
/// (a fresh worker process each time): the time from the call to the first cell starting, the first cell (Roslyn's
/// cold start), loading TorchSharp and the helper library, and compiling a typical cell — chapter 3's model class —
/// once Roslyn is warm: at its turn, and compiled ahead while the cell before it ran (what is left for its turn).
/// </summary>
public sealed class RunnerBenchmarks(BenchSettings settings)
{
    /// <summary>Two set-up cells, a cell that computes on one core for half a second (as a chapter's training cell
    /// does, for longer), then chapter 3's model class as the chapter has it (read from the notebook): in one notebook
    /// as it is, so the worker compiles it ahead while the cell before runs; in the other after a <c>#r</c> of the
    /// library (already loaded: nothing to do), which stops the worker compiling ahead, so the cell is compiled at its
    /// turn.</summary>
    private (string[] CompiledAhead, string[] CompiledAtItsTurn) Notebooks()
    {
        var modelCell = NotebookRunner.Document.NotebookReader.Read(Path.Combine(settings.RepositoryRoot, "notebooks", "03-airline-windowing.ipynb"))
            .CodeCells.Single(c => c.Source.Contains("class AirModel", StringComparison.Ordinal)).Source;
        string[] setUp = [
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
            """
            var computeUntil = DateTime.UtcNow.AddSeconds(0.5);
            while (DateTime.UtcNow < computeUntil) { }
            """,
        ];
        return ([.. setUp, modelCell], [.. setUp, "#r \"LIBRARY\"\n" + modelCell]);
    }

    public IReadOnlyList<Measurement> Run()
    {
        var directory = Directory.CreateTempSubdirectory("lstm-bench-");
        try
        {
            var (ahead, atItsTurn) = Notebooks();
            var aheadPath = Path.Combine(directory.FullName, "runner-bench-ahead.ipynb");
            var atItsTurnPath = Path.Combine(directory.FullName, "runner-bench-at-its-turn.ipynb");
            File.WriteAllText(aheadPath, Notebook(ahead, settings.LibraryDll));
            File.WriteAllText(atItsTurnPath, Notebook(atItsTurn, settings.LibraryDll));
            var repeats = settings.Quick ? 2 : 5;
            var toFirstCell = new List<double>();
            var (firstCell, loadTorch, compiledAhead, compiledAtItsTurn) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
            for (var i = 0; i < repeats + 1; i++)   // the first round warms the file cache and is not counted
            {
                foreach (var path in new[] { aheadPath, atItsTurnPath })
                {
                    var started = DateTimeOffset.Now;
                    var result = NotebookExecution.RunAsync(path).GetAwaiter().GetResult();
                    if (!result.Succeeded) throw new InvalidOperationException($"the runner benchmark notebook failed: {result.FailureMessage}");
                    if (i == 0) continue;
                    toFirstCell.Add((result.Cells[0].Start!.Value - started).TotalMilliseconds);
                    firstCell.Add(result.Cells[0].Duration.TotalMilliseconds);
                    loadTorch.Add(result.Cells[1].Duration.TotalMilliseconds);
                    (path == aheadPath ? compiledAhead : compiledAtItsTurn).Add(result.Cells[3].Duration.TotalMilliseconds);
                }
            }
            return
            [
                Summarise("runner: start to first cell", "notebook", toFirstCell, "read the notebook, start a worker process, connect"),
                Summarise("runner: first cell (cold Roslyn)", "cell", firstCell, "`1 + 1`: the first compile in a worker"),
                Summarise("runner: load TorchSharp + library", "cell", loadTorch, "#r TorchSharp and the helper library, load libtorch"),
                Summarise("runner: compile a typical cell", "cell", compiledAtItsTurn, "chapter 3's model cell, compiled at its turn (compile only)"),
                Summarise("runner: a typical cell compiled ahead", "cell", compiledAhead, "the same cell after a cell computing for 0.5 s, compiled meanwhile: what is left for its turn"),
            ];
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
