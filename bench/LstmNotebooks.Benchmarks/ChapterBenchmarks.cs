using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner.Host;

namespace LstmNotebooks.Benchmarks;

/// <summary>A part of a chapter timed on both sides: the notebook's cells that contain one of the markers, and the
/// PyTorch script's section of the same name.</summary>
public sealed record Section(string Name, params string[] CellMarkers);

/// <summary>
/// One chapter: its notebook, its PyTorch script (bench/pytorch/), the sections both report, and the facts of the
/// notebook's run the script needs to repeat the same computation (chapter 5's drawn size, chapter 6's epochs per seed).
/// </summary>
public sealed record ChapterCase(int Number, string Notebook, string Script, IReadOnlyList<Section> Sections,
    Func<NotebookRunResult, Dictionary<string, JsonNode?>>? FromNotebookRun = null)
{
    public static readonly IReadOnlyList<ChapterCase> All =
    [
        new(1, "01-naive-mlp-baseline.ipynb", "chapter01.py", [new("training", "for (var epoch = 1; epoch <= epochs; epoch++)")]),
        new(2, "02-lstm-cell-math.ipynb", "chapter02.py", [new("the cell's math", "LstmStep(x[t], hHand", "var lstm = nn.LSTM(")]),
        new(3, "03-airline-windowing.ipynb", "chapter03.py",
            [new("training, lookback 1", "var lookback1 = RunExperiment(1);"), new("training, lookback 4", "var lookback4 = RunExperiment(4);")]),
        new(4, "04-sine-wave-lstmcell-lbfgs.ipynb", "chapter04.py", [new("L-BFGS steps", "var evaluations = LbfgsStep(optimizer")]),
        new(5, "05-automated-shape-inference.ipynb", "chapter05.py",
            [new("new waves", "var waveFit = Fit(waves"), new("minutes", "var minutesFit = Fit(minutes")], DrawnSize),
        new(6, "06-baselines-and-transforms.ipynb", "chapter06.py",
            [new("LSTM, all seeds", "var first = Train(1);", "fits.Add(Train(seed))"), new("chapter 3's models", "Chapter3Forecast(1)")], SeedEpochs),
    ];

    /// <summary>Chapter 5 draws its waves' size at run time: "drawn: 63 waves × 1043 points, T = 17".</summary>
    private static Dictionary<string, JsonNode?> DrawnSize(NotebookRunResult run)
    {
        var m = Regex.Match(run.Stdout, @"drawn: (\d+) waves × (\d+) points, T = (\d+)");
        if (!m.Success) throw new InvalidOperationException("chapter 5 did not print its drawn size ('drawn: N waves × L points, T = T')");
        return new() { ["drawnWaves"] = int.Parse(m.Groups[1].Value), ["drawnLength"] = int.Parse(m.Groups[2].Value), ["drawnPeriod"] = int.Parse(m.Groups[3].Value) };
    }

    /// <summary>Chapter 6 stops each seed early: "seed 3: stopped after epoch 412; …".</summary>
    private static Dictionary<string, JsonNode?> SeedEpochs(NotebookRunResult run)
    {
        var epochs = run.Outputs.Select(o => o.PlainText ?? "")
            .Select(t => Regex.Match(t, @"seed (\d+): stopped after epoch (\d+);")).Where(m => m.Success)
            .Select(m => (Seed: int.Parse(m.Groups[1].Value), Epochs: int.Parse(m.Groups[2].Value)))
            .OrderBy(s => s.Seed).Select(s => (JsonNode?)s.Epochs).ToArray();
        if (epochs.Length == 0) throw new InvalidOperationException("chapter 6 reported no 'seed N: stopped after epoch E' line");
        return new() { ["seedEpochs"] = new JsonArray(epochs) };
    }
}

public sealed record SectionTiming(string Name, double OursSeconds, double PyTorchSeconds);

public sealed record ChapterTiming(ChapterCase Case, double OursSeconds, double OursCellsSeconds, double PyTorchSeconds,
    double PyTorchComputeSeconds, double PyTorchPeakRssMiB, string PyTorchVersion, IReadOnlyList<SectionTiming> Sections);

/// <summary>
/// Runs each chapter as a reader runs it — the notebook through the runner (a fresh worker process, the real cells, its
/// outputs written to the output folder) — and then its PyTorch script as a process, on the same machine, one after
/// the other, with the same parameters.
/// </summary>
public sealed class ChapterBenchmarks(BenchSettings settings)
{
    public ChapterTiming Run(ChapterCase chapter)
    {
        var parameters = settings.ParametersFor(chapter.Notebook);
        var notebook = Path.Combine(settings.RepositoryRoot, "notebooks", chapter.Notebook);
        Console.Error.WriteLine($"  chapter {chapter.Number}: the notebook through the runner…");
        var run = NotebookExecution.RunAsync(notebook, new NotebookRunOptions
        {
            Parameters = parameters.ToDictionary(p => p.Key, p => NotebookRunner.Parameters.ParameterOverride.Json(p.Value, settings.QuickParametersFile)),
            OutputPath = Path.Combine(settings.OutputDirectory, "notebooks", chapter.Notebook),
        }).GetAwaiter().GetResult();
        if (!run.Succeeded) throw new InvalidOperationException($"{chapter.Notebook} failed: {run.FailureMessage}");

        var scriptParameters = new JsonObject();
        foreach (var (k, v) in parameters) scriptParameters[k] = v?.DeepClone();
        foreach (var (k, v) in chapter.FromNotebookRun?.Invoke(run) ?? []) scriptParameters[k] = v;
        Console.Error.WriteLine($"  chapter {chapter.Number}: {chapter.Script}…");
        var (wall, report) = RunScript(chapter.Script, scriptParameters.ToJsonString());

        var pySections = report["sections"]!.AsObject();
        var sections = chapter.Sections.Select(s =>
        {
            var cells = run.Cells.Where(c => s.CellMarkers.Any(m => c.Cell.Source.Contains(m, StringComparison.Ordinal))).ToList();
            if (cells.Count == 0)
                throw new InvalidOperationException($"{chapter.Notebook}: no cell contains the markers of section '{s.Name}' — did the chapter change?");
            return new SectionTiming(s.Name, cells.Sum(c => c.Duration.TotalSeconds),
                (double?)pySections[s.Name] ?? throw new InvalidOperationException($"{chapter.Script} reported no section '{s.Name}'"));
        }).ToList();

        var timing = new ChapterTiming(chapter, run.Duration.TotalSeconds, run.Cells.Sum(c => c.Duration.TotalSeconds), wall,
            (double)report["compute_s"]!, (double)report["peak_rss_mib"]!, (string)report["torch"]!, sections);
        Console.Error.WriteLine($"  chapter {chapter.Number}: ours {timing.OursSeconds:F1} s, PyTorch {timing.PyTorchSeconds:F1} s");
        return timing;
    }

    private (double WallSeconds, JsonObject Report) RunScript(string script, string parameters)
    {
        var start = new ProcessStartInfo(settings.Python)
        {
            WorkingDirectory = settings.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { Path.Combine("bench", "pytorch", script), "--params", parameters, "--data", Path.Combine("data", "airline-passengers.csv") })
            start.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {settings.Python}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var wall = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {stderr.Result.Trim()}");
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
                   ?? throw new InvalidOperationException($"{script} printed no report");
        return (wall, JsonNode.Parse(last)!.AsObject());
    }
}
