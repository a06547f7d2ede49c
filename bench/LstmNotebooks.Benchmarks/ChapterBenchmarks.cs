using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner.Host;

namespace LstmNotebooks.Benchmarks;

/// <summary>A part of a chapter timed on both sides: the notebook's cells that contain one of the markers, and the
/// PyTorch script's section of the same name. An L-BFGS section also compares the work done: the closure evaluations
/// of every step and the train loss after the last, ours read from the notebook's variables.</summary>
public sealed record Section(string Name, string[] CellMarkers, Func<NotebookRunResult, LbfgsWork>? OurLbfgsWork = null)
{
    public Section(string name, params string[] cellMarkers) : this(name, cellMarkers, null) { }

    /// <summary>Whether a cell belongs to the section: its source contains one of the markers (tests/Benchmarks.Tests
    /// checks every marker is in a cell of its chapter).</summary>
    public bool Covers(string cellSource) => CellMarkers.Any(m => cellSource.Contains(m, StringComparison.Ordinal));
}

/// <summary>What L-BFGS did in a section: closure evaluations per step, and the train loss after the last step.</summary>
public sealed record LbfgsWork(int[] EvaluationsPerStep, double LastTrainLoss)
{
    public int Evaluations => EvaluationsPerStep.Sum();
}

/// <summary>
/// What a chapter's script must be given from the notebook's run to repeat its computation exactly: the variables to
/// capture, asked of the kernel (RequestValue, which gives JSON) after <see cref="Epilogue"/> has derived them from
/// the notebook's state — the kernel serialises no float[,] and no tuple — and the inputs made from them (the drawn
/// data itself, the epochs each seed ran), written to a JSON file the script reads with --inputs.
/// </summary>
public sealed record NotebookFacts(string[] Variables, Func<NotebookRunResult, JsonObject> Inputs, string? Epilogue = null)
{
    /// <summary>A float[,] as rows of doubles (each float widened exactly), which JSON carries and Python reads back as the same float32.</summary>
    public const string Rows = "double[][] BenchRows(float[,] a) => Enumerable.Range(0, a.GetLength(0)).Select(i => Enumerable.Range(0, a.GetLength(1)).Select(j => (double)a[i, j]).ToArray()).ToArray();\n";
}

/// <summary>
/// One chapter: its notebook, its PyTorch script (bench/pytorch/), the sections both report, and the facts of the
/// notebook's run the script needs to repeat the same computation.
/// </summary>
public sealed record ChapterCase(int Number, string Notebook, string Script, IReadOnlyList<Section> Sections, NotebookFacts? Facts = null)
{
    public static readonly IReadOnlyList<ChapterCase> All =
    [
        new(1, "01-naive-mlp-baseline.ipynb", "chapter01.py", [new("training", "for (var epoch = 1; epoch <= epochs; epoch++)")]),
        new(2, "02-lstm-cell-math.ipynb", "chapter02.py", [new("the cell's math", "LstmStep(x[t], hHand", "var lstm = nn.LSTM(")]),
        new(3, "03-airline-windowing.ipynb", "chapter03.py",
            [new("training, lookback 1", "var lookback1 = RunExperiment(1);"), new("training, lookback 4", "var lookback4 = RunExperiment(4);")]),
        new(4, "04-sine-wave-lstmcell-lbfgs.ipynb", "chapter04.py",
            [new("L-BFGS steps", ["var evaluations = LbfgsStep(optimizer"],
                r => new LbfgsWork(r.Variable<int[]>("evaluationsPerStep"), r.Variable<double[]>("trainLosses")[^1]))],
            new(["benchWaves", "evaluationsPerStep", "trainLosses"], r => new JsonObject { ["waves"] = Float32Grid(r, "benchWaves") },
                NotebookFacts.Rows + "var benchWaves = BenchRows(waves.Values);")),
        new(5, "05-automated-shape-inference.ipynb", "chapter05.py",
            [new("new waves", ["var waveFit = Fit(waves"], r => FitWork(r, "benchWaveFit")),
             new("minutes", ["var minutesFit = Fit(minutes"], r => FitWork(r, "benchMinutesFit"))],
            new(["benchDrawn", "benchMinutes", "benchWaveFit", "benchMinutesFit"],
                r => new JsonObject { ["waves"] = Float32Grid(r, "benchDrawn"), ["minutes"] = Float32Grid(r, "benchMinutes") },
                NotebookFacts.Rows + """
                var benchDrawn = BenchRows(drawn.Values);
                var benchMinutes = BenchRows(seasonsOfMinutes);
                var benchWaveFit = waveFit.Steps.Select(s => new { s.Evaluations, s.TrainLoss }).ToArray();
                var benchMinutesFit = minutesFit.Steps.Select(s => new { s.Evaluations, s.TrainLoss }).ToArray();
                """)),
        new(6, "06-baselines-and-transforms.ipynb", "chapter06.py",
            [new("LSTM: choosing the setting", "var trials = settings.ToDictionary("),
             new("LSTM: the chosen setting's other seeds", "var fits = Enumerable.Range(1, seeds)"),
             new("linear autoregression", "var linearTrials = "),
             new("chapter 3's models", "Chapter3Forecast(1)")],
            new(["benchFitEpochs"], r => new JsonObject { ["fitEpochs"] = r.Variables["benchFitEpochs"]!.DeepClone() },
                """
                var benchFitEpochs = trials.Values.SelectMany(f => f).Concat(fits.Skip(selectionSeeds))
                    .Select(f => new { window = f.Setting.Window, hidden = f.Setting.HiddenSize, rate = f.Setting.LearningRate, seed = f.Seed, epochs = f.Epochs }).ToArray();
                """)),
    ];

    /// <summary>A float[,] of the notebook's, as <see cref="NotebookFacts.Rows"/> gave it: rows of floats widened to
    /// double, written to round-trip, so that Python reads back the very same float32 values.</summary>
    private static JsonArray Float32Grid(NotebookRunResult run, string variable)
    {
        var node = run.Variables[variable] ?? throw new InvalidOperationException($"the notebook's '{variable}' is null");
        return new JsonArray(node.AsArray().Select(row => (JsonNode?)new JsonArray(
            row!.AsArray().Select(v => (JsonNode?)JsonValue.Create(v!.GetValue<double>())).ToArray())).ToArray());
    }

    /// <summary>Chapter 5's Fit returns its steps' losses and evaluations; the epilogue keeps each step's (Evaluations, TrainLoss).</summary>
    private static LbfgsWork FitWork(NotebookRunResult run, string variable)
    {
        var steps = run.Variables[variable]!.AsArray();
        return new LbfgsWork(steps.Select(s => (int)s!["Evaluations"]!).ToArray(), (double)steps[^1]!["TrainLoss"]!);
    }
}

public sealed record SectionTiming(string Name, double OursSeconds, double PyTorchSeconds, LbfgsWork? OursLbfgs = null, LbfgsWork? PyTorchLbfgs = null);

/// <summary>A chapter's two timed sides, each its fastest run; <see cref="ScriptArguments"/> is the script's command line
/// (after the Python executable), so that a profile repeats exactly the timed run. <see cref="OursRunsSeconds"/>,
/// <see cref="PyTorchRunsSeconds"/> and <see cref="AppRunsSeconds"/> (the chapter's app, <see cref="ChapterApp"/>) are
/// every run's time, in the order taken.</summary>
public sealed record ChapterTiming(ChapterCase Case, double OursSeconds, double OursCellsSeconds, double PyTorchSeconds,
    double PyTorchComputeSeconds, double PyTorchPeakRssMiB, string PyTorchVersion, IReadOnlyList<SectionTiming> Sections,
    IReadOnlyList<string> ScriptArguments, IReadOnlyList<double> OursRunsSeconds, IReadOnlyList<double> PyTorchRunsSeconds,
    IReadOnlyList<double> AppRunsSeconds)
{
    /// <summary>The chapter's app, its fastest run.</summary>
    public double AppSeconds => AppRunsSeconds.Min();
}

/// <summary>
/// Runs each chapter as a reader runs it — the notebook through the runner (a fresh kernel process, the real cells, its
/// outputs written to the output folder) — and then its PyTorch script as a process, on the same machine, one after
/// the other, with the same parameters.
/// </summary>
public sealed class ChapterBenchmarks(BenchSettings settings)
{
    /// <summary>
    /// Times the chapter's two sides <see cref="BenchSettings.Repeat"/> times, taking turns (ours, PyTorch, ours, …), and
    /// keeps each side's fastest run: on a shared VM one process of the same computation can take twice as long as the
    /// next, on either side, so the fastest run is the one least disturbed. Every run's time is kept for the report.
    /// </summary>
    public ChapterTiming Run(ChapterCase chapter)
    {
        var parameters = settings.ParametersFor(chapter.Notebook);
        var app = ChapterApp.Build(chapter, settings);
        var rounds = Enumerable.Range(1, settings.Repeat).Select(round => RunRound(chapter, app, parameters, round)).ToList();
        var fastestOurs = rounds.MinBy(r => r.Ours.Duration)!;
        var fastestTheirs = rounds.MinBy(r => r.ScriptWallSeconds)!;

        var pySections = fastestTheirs.Report["sections"]!.AsObject();
        var pyLbfgs = fastestTheirs.Report["lbfgs"]?.AsObject();
        var sections = chapter.Sections.Select(s =>
        {
            var cells = fastestOurs.Ours.Cells.Where(c => s.Covers(c.Cell.Source)).ToList();
            if (cells.Count == 0)
                throw new InvalidOperationException($"{chapter.Notebook}: no cell contains the markers of section '{s.Name}' — did the chapter change?");
            LbfgsWork? theirWork = null;
            if (s.OurLbfgsWork is not null)
            {
                var work = pyLbfgs?[s.Name] ?? throw new InvalidOperationException($"{chapter.Script} reported no L-BFGS work for '{s.Name}'");
                theirWork = new LbfgsWork(work["evaluations"]!.AsArray().Select(e => (int)e!).ToArray(), (double)work["last_train_loss"]!);
            }
            return new SectionTiming(s.Name, cells.Sum(c => c.Duration.TotalSeconds),
                (double?)pySections[s.Name] ?? throw new InvalidOperationException($"{chapter.Script} reported no section '{s.Name}'"),
                s.OurLbfgsWork?.Invoke(fastestOurs.Ours), theirWork);
        }).ToList();

        var report = fastestTheirs.Report;
        return new ChapterTiming(chapter, fastestOurs.Ours.Duration.TotalSeconds, fastestOurs.Ours.Cells.Sum(c => c.Duration.TotalSeconds), fastestTheirs.ScriptWallSeconds,
            (double)report["compute_s"]!, (double)report["peak_rss_mib"]!, (string)report["torch"]!, sections, fastestTheirs.ScriptArguments,
            rounds.Select(r => r.Ours.Duration.TotalSeconds).ToList(), rounds.Select(r => r.ScriptWallSeconds).ToList(),
            rounds.Select(r => r.AppWallSeconds).ToList());
    }

    /// <summary>One turn of both sides: the notebook through the runner, the chapter's app, then the script with what the
    /// notebook's run captured.</summary>
    private ChapterRound RunRound(ChapterCase chapter, ChapterApp app, Dictionary<string, JsonNode?> parameters, int round)
    {
        var of = RunOf(round);
        var notebook = Path.Combine(settings.RepositoryRoot, "notebooks", chapter.Notebook);
        Console.Error.WriteLine($"  chapter {chapter.Number}: the notebook through the runner{of}…");
        var run = NotebookExecution.RunAsync(notebook, new NotebookRunOptions
        {
            Parameters = parameters.ToDictionary(p => p.Key, p => NotebookRunner.Parameters.ParameterOverride.Json(p.Value, settings.QuickParametersFile)),
            OutputPath = Path.Combine(settings.OutputDirectory, "notebooks", chapter.Notebook),
            CaptureVariables = chapter.Facts?.Variables ?? [],
            Epilogue = chapter.Facts?.Epilogue,
        }).GetAwaiter().GetResult();
        if (!run.Succeeded) throw new InvalidOperationException($"{chapter.Notebook} failed: {run.FailureMessage}");
        Console.Error.WriteLine($"  chapter {chapter.Number}: the chapter as an app{of}…");
        var appWall = app.Run(parameters);

        var scriptParameters = new JsonObject();
        foreach (var (k, v) in parameters) scriptParameters[k] = v?.DeepClone();
        string? inputsFile = null;
        if (chapter.Facts is { } facts)
        {
            inputsFile = Path.Combine(settings.OutputDirectory, "inputs", Path.ChangeExtension(chapter.Script, ".json"));
            Directory.CreateDirectory(Path.GetDirectoryName(inputsFile)!);
            File.WriteAllText(inputsFile, facts.Inputs(run).ToJsonString());
        }
        Console.Error.WriteLine($"  chapter {chapter.Number}: {chapter.Script}{of}…");
        var scriptArguments = ScriptArguments(chapter.Script, scriptParameters.ToJsonString(), inputsFile);
        var (wall, report) = RunScript(chapter.Script, scriptArguments);
        Console.Error.WriteLine($"  chapter {chapter.Number}: ours {run.Duration.TotalSeconds:F1} s, as an app {appWall:F1} s, PyTorch {wall:F1} s{of}");
        return new ChapterRound(run, appWall, wall, report, scriptArguments);
    }

    /// <summary>" (run 2 of 3)" in the progress lines when each side runs more than once.</summary>
    private string RunOf(int round) => settings.Repeat > 1 ? $" (run {round} of {settings.Repeat})" : "";

    private sealed record ChapterRound(NotebookRunResult Ours, double AppWallSeconds, double ScriptWallSeconds, JsonObject Report, IReadOnlyList<string> ScriptArguments);

    /// <summary>
    /// Both sides of a chapter again, each under perf: the notebook through the runner's command line (the reader's
    /// run command), and the script with the timed run's arguments; <see cref="BenchSettings.Repeat"/> times, taking
    /// turns, as the timed runs do, keeping each side's run with the least CPU time: a profile is the VM's noise as much
    /// as a timed run is, and a floor read from a disturbed run is a floor of that disturbance.
    /// </summary>
    public ChapterProfile Profile(ChapterTiming timed)
    {
        var chapter = timed.Case;
        var profiler = new CpuProfiler(Path.Combine(settings.OutputDirectory, "profiles"));
        var runner = new ProcessStartInfo("dotnet") { WorkingDirectory = settings.RepositoryRoot };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll"), Path.Combine("notebooks", chapter.Notebook),
                     "--out", Path.Combine(settings.OutputDirectory, "profiles", "notebooks"), "--no-html" })
            runner.ArgumentList.Add(a);
        if (settings.Quick)
        {
            runner.ArgumentList.Add("--params-file");
            runner.ArgumentList.Add(settings.QuickParametersFile);
        }

        var ours = new List<CpuProfile>();
        var theirs = new List<CpuProfile>();
        for (var round = 1; round <= settings.Repeat; round++)
        {
            var of = RunOf(round);
            Console.Error.WriteLine($"  chapter {chapter.Number}: profiling the notebook through the runner{of}…");
            ours.Add(profiler.Run($"chapter{chapter.Number:00}-ours", runner));
            Console.Error.WriteLine($"  chapter {chapter.Number}: profiling {chapter.Script}{of}…");
            theirs.Add(profiler.Run($"chapter{chapter.Number:00}-pytorch", ScriptStart(timed.ScriptArguments)));
            Console.Error.WriteLine($"  chapter {chapter.Number}: CPU under perf: ours {ours[^1].CpuSeconds:F1} s, PyTorch {theirs[^1].CpuSeconds:F1} s{of}");
        }
        return ChapterProfile.LeastDisturbed(chapter, ours, theirs);
    }

    /// <summary>The script's command line after the Python executable: the same parameters as the notebook, and the
    /// inputs made from the notebook's run.</summary>
    private static List<string> ScriptArguments(string script, string parameters, string? inputsFile)
    {
        List<string> arguments = [Path.Combine("bench", "pytorch", script), "--params", parameters, "--data", Path.Combine("data", "airline-passengers.csv")];
        if (inputsFile is not null) arguments.AddRange(["--inputs", inputsFile]);
        return arguments;
    }

    private ProcessStartInfo ScriptStart(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(settings.Python) { WorkingDirectory = settings.RepositoryRoot };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        return start;
    }

    private (double WallSeconds, JsonObject Report) RunScript(string script, IReadOnlyList<string> arguments)
    {
        var (code, stdout, stderr, wall) = Harness.RunToEnd(ScriptStart(arguments));
        if (code != 0)
            throw new InvalidOperationException($"{script} exited with {code}: {stderr.Trim()}");
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
                   ?? throw new InvalidOperationException($"{script} printed no report");
        return (wall, JsonNode.Parse(last)!.AsObject());
    }
}
