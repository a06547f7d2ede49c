using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LstmNotebooks.Benchmarks;

/// <summary>Everything one benchmark run measured, and the Markdown tables bench/run prints and puts in docs/performance.md.</summary>
public sealed class BenchReport
{
    /// <summary>The project's target for every chapter and the whole course: at most half PyTorch's time (docs/performance.md).</summary>
    public const double Target = 0.5;

    public required string Machine { get; init; }
    public required string Scale { get; init; }
    public List<ChapterTiming> Chapters { get; } = [];
    public List<Measurement> Runner { get; } = [];
    public List<ChapterProfile> Profiles { get; } = [];

    /// <summary>The least notebook and the least script (<see cref="LeastNotebook"/>), when the runner's costs were measured.</summary>
    public (Measurement Ours, Measurement PyTorch)? LeastNotebook { get; init; }

    private static string S(double seconds) => seconds.ToString(seconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " s";
    private static string Ms(double seconds) => (seconds * 1000).ToString(seconds < 0.01 ? "0.00" : "0", CultureInfo.InvariantCulture) + " ms";
    private static string Ratio(double ours, double theirs) => (ours / theirs).ToString("0.00", CultureInfo.InvariantCulture) + "×";
    private static string Verdict(double ours, double theirs) => ours / theirs <= Target ? "meets" : "misses";

    /// <summary>The report as Markdown: bench/report-template.md's words (<see cref="ReportTemplate"/>) around the
    /// tables' rows and the numbers this code computes.</summary>
    public string Markdown()
    {
        var runs = Chapters.Count == 0 ? 1 : Chapters.Max(c => c.OursRunsSeconds.Count);
        var profiled = Profiles.Count == 0 ? 1 : Profiles.Max(p => p.OursRunsCpuSeconds.Count);
        var least = LeastNotebook?.Ours.MinMs / 1000;
        var values = new Dictionary<string, object>
        {
            ["machine"] = Machine,
            ["scale"] = Scale,
            ["repeated"] = runs > 1,
            ["runs"] = runs.ToString(CultureInfo.InvariantCulture),
            ["target"] = Target.ToString("0.0", CultureInfo.InvariantCulture),
            ["chapterRows"] = ChapterRows(),
            ["floors"] = Chapters.Count > 0,
            ["least"] = least is not null,
            ["profiled"] = Profiles.Count > 0,
            ["floorRows"] = FloorRows(least),
            ["sectionRows"] = Rows(Chapters.SelectMany(c => c.Sections.Select(s =>
                $"| {c.Case.Number}: {s.Name} | {S(s.OursSeconds)} | {S(s.PyTorchSeconds)} | {Ratio(s.OursSeconds, s.PyTorchSeconds)} |"))),
            ["lbfgs"] = LbfgsRows() is { Length: > 0 },
            ["lbfgsRows"] = LbfgsRows(),
            ["profiles"] = Profiles.Count > 0,
            ["profiledRepeatedly"] = profiled > 1,
            ["profiledRuns"] = profiled.ToString(CultureInfo.InvariantCulture),
            ["samplesPerSecond"] = CpuProfiler.SamplesPerSecond.ToString(CultureInfo.InvariantCulture),
            ["profileRows"] = ProfileRows(),
            ["everyRun"] = runs > 1,
            ["everyRunRows"] = EveryRunRows(profiled > 1),
            ["runner"] = Runner.Count > 0,
            ["runnerRows"] = Rows(Runner.Select(m => $"| {m.Name} | {m.MedianMs:0} ms | {m.MinMs:0} ms | {m.MaxMs:0} ms | {m.Note} |")),
        };
        if (LeastNotebook is { } measured)
        {
            values["leastNotebook"] = Ms(least!.Value);
            values["leastRepeats"] = measured.Ours.Repeats.ToString(CultureInfo.InvariantCulture);
            values["leastScript"] = Ms(measured.PyTorch.MinMs / 1000);
        }
        return ReportTemplate.Render(ReportTemplate.Text, values);
    }

    private static string Rows(IEnumerable<string> rows) => string.Join("\n", rows);

    /// <summary>Each chapter, ours against PyTorch, and the whole course when every chapter ran.</summary>
    private string ChapterRows()
    {
        var rows = Chapters.Select(c =>
            $"| {c.Case.Number} `{Path.GetFileNameWithoutExtension(c.Case.Notebook)}` | {S(c.OursSeconds)} | {S(c.PyTorchSeconds)} | {Ratio(c.OursSeconds, c.PyTorchSeconds)} | "
            + $"{Verdict(c.OursSeconds, c.PyTorchSeconds)} | {S(c.OursCellsSeconds)} | {S(c.PyTorchComputeSeconds)} | {Ratio(c.OursCellsSeconds, c.PyTorchComputeSeconds)} |").ToList();
        if (Chapters.Count == ChapterCase.All.Count)
        {
            var (ours, theirs) = (Chapters.Sum(c => c.OursSeconds), Chapters.Sum(c => c.PyTorchSeconds));
            var (oursCells, theirsCompute) = (Chapters.Sum(c => c.OursCellsSeconds), Chapters.Sum(c => c.PyTorchComputeSeconds));
            rows.Add($"| **whole course** | **{S(ours)}** | **{S(theirs)}** | **{Ratio(ours, theirs)}** | {Verdict(ours, theirs)} | {S(oursCells)} | {S(theirsCompute)} | {Ratio(oursCells, theirsCompute)} |");
        }
        return Rows(rows);
    }

    /// <summary>The least each chapter could take, measured in the same run: its app, the least notebook and, for a
    /// profiled chapter, its profile's floor; the chapter's floor is the largest of them, and the whole course's is
    /// the sum of its chapters' floors in seconds over the course's PyTorch time (docs/performance.md explains it).</summary>
    private string FloorRows(double? least)
    {
        string FloorVerdict(double ratio, double floor) =>
            ratio <= Target ? "meets" : floor > Target ? "misses; floor above it" : floor > 0 ? "misses; floor below it" : "misses; no floor measured";
        string F(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";
        var rows = new List<string>();
        var floorSeconds = 0.0;
        foreach (var c in Chapters)
        {
            // The notebook does the app's work and more: an app slower than the notebook was disturbed, not a floor.
            var appIsFloor = c.AppSeconds <= c.OursSeconds;
            var profile = Profiles.FirstOrDefault(p => p.Case == c.Case)?.FloorRatio;
            var floor = new[] { appIsFloor ? c.AppSeconds / c.PyTorchSeconds : 0, (least ?? 0) / c.PyTorchSeconds, profile ?? 0 }.Max();
            floorSeconds += floor * c.PyTorchSeconds;
            var appRatio = appIsFloor ? Ratio(c.AppSeconds, c.PyTorchSeconds) : $"({Ratio(c.AppSeconds, c.PyTorchSeconds)})";
            rows.Add($"| {c.Case.Number} | {S(c.OursSeconds)} | {S(c.PyTorchSeconds)} | {Ratio(c.OursSeconds, c.PyTorchSeconds)} | {S(c.AppSeconds)} | {appRatio} | "
                + (least is null ? "— | — |" : $"{S(least.Value)} | {Ratio(least.Value, c.PyTorchSeconds)} |")
                + (profile is null ? " — |" : $" {F(profile.Value)} |")
                + $" {(floor > 0 ? F(floor) : "—")} | {FloorVerdict(c.OursSeconds / c.PyTorchSeconds, floor)} |");
        }
        if (Chapters.Count == ChapterCase.All.Count)
        {
            var (ours, theirs) = (Chapters.Sum(c => c.OursSeconds), Chapters.Sum(c => c.PyTorchSeconds));
            var floor = floorSeconds / theirs;
            rows.Add($"| **whole course** | {S(ours)} | {S(theirs)} | {Ratio(ours, theirs)} | — | — | "
                + (least is null ? "— | — |" : $"{S(least.Value * Chapters.Count)} | {Ratio(least.Value * Chapters.Count, theirs)} |")
                + $" — | {(floor > 0 ? F(floor) : "—")} | {FloorVerdict(ours / theirs, floor)} |");
        }
        return Rows(rows);
    }

    /// <summary>The L-BFGS sections' work on each side, and the time per closure evaluation.</summary>
    private string LbfgsRows() => Rows(Chapters.SelectMany(c => c.Sections.Where(s => s.OursLbfgs is not null && s.PyTorchLbfgs is not null).Select(s =>
    {
        var (o, p) = (s.OursLbfgs!, s.PyTorchLbfgs!);
        var (perOurs, perTheirs) = (s.OursSeconds / o.Evaluations, s.PyTorchSeconds / p.Evaluations);
        return $"| {c.Case.Number}: {s.Name} | {o.Evaluations} ({string.Join(" ", o.EvaluationsPerStep)}) | {p.Evaluations} ({string.Join(" ", p.EvaluationsPerStep)}) | "
            + $"{o.LastTrainLoss.ToString("G4", CultureInfo.InvariantCulture)} | {p.LastTrainLoss.ToString("G4", CultureInfo.InvariantCulture)} | "
            + $"{Ms(perOurs)} | {Ms(perTheirs)} | {Ratio(perOurs, perTheirs)} |";
    })));

    /// <summary>Each profiled chapter's two sides by kind of code, with our side's two floors; the whole course when
    /// every chapter that ran was profiled.</summary>
    private string ProfileRows()
    {
        var rows = new List<string>();
        void Add(string chapter, CpuProfile ours, CpuProfile pytorch)
        {
            foreach (var (side, profile) in new[] { ("ours", ours), ("PyTorch", pytorch) })
            {
                string Share(double seconds) => $" {S(seconds)} ({(seconds / profile.CpuSeconds).ToString("0%", CultureInfo.InvariantCulture)}) |";
                var row = new StringBuilder($"| {chapter} | {side} | {S(profile.CpuSeconds)} |");
                row.Append(Share(profile.Seconds(CodeKinds.Libtorch)));
                row.Append(Share(profile.LibtorchCallsSeconds));
                foreach (var kind in CodeKinds.All.Where(k => k != CodeKinds.Libtorch))
                    row.Append(Share(profile.Seconds(kind)));
                row.Append(side == "ours"
                    ? $" {Floors.Libtorch(ours, pytorch).ToString("0.00", CultureInfo.InvariantCulture)}× | **{Floors.LibtorchAndTorchSharp(ours, pytorch).ToString("0.00", CultureInfo.InvariantCulture)}×** |"
                    : " | |");
                rows.Add(row.ToString());
            }
        }

        foreach (var p in Profiles) Add(p.Case.Number.ToString(CultureInfo.InvariantCulture), p.Ours, p.PyTorch);
        if (Profiles.Count > 0 && Chapters.Count > 1 && Chapters.All(c => Profiles.Any(p => p.Case == c.Case)))
            Add("whole course", CpuProfile.Total(Profiles.Select(p => p.Ours).ToList()), CpuProfile.Total(Profiles.Select(p => p.PyTorch).ToList()));
        return Rows(rows);
    }

    /// <summary>Every timed run of each chapter in the order taken, and every profiled run's CPU time when chapters
    /// were profiled more than once.</summary>
    private string EveryRunRows(bool profiledRuns) => Rows(Chapters.Select(c =>
    {
        var row = $"| {c.Case.Number} | {string.Join(", ", c.OursRunsSeconds.Select(S))} | {string.Join(", ", c.PyTorchRunsSeconds.Select(S))} | {string.Join(", ", c.AppRunsSeconds.Select(S))} |";
        if (!profiledRuns) return row;
        var p = Profiles.FirstOrDefault(p => p.Case == c.Case);
        return row + (p is null ? " | |" : $" {string.Join(", ", p.OursRunsCpuSeconds.Select(S))} | {string.Join(", ", p.PyTorchRunsCpuSeconds.Select(S))} |");
    }));

    private static object ProfileJson(CpuProfile p) => new
    {
        p.WallSeconds, p.CpuSeconds, p.SecondsByKind, p.LibtorchCallsSeconds,
        TopObjects = p.TopObjects.Select(o => new { o.Dso, o.Seconds }),
    };

    public string Json() => JsonSerializer.Serialize(new
    {
        Machine,
        Scale,
        Target,
        Chapters = Chapters.Select(c => new
        {
            c.Case.Notebook, c.Case.Script, c.OursSeconds, c.OursCellsSeconds, c.PyTorchSeconds, c.PyTorchComputeSeconds,
            c.PyTorchPeakRssMiB, c.PyTorchVersion, Ratio = c.OursSeconds / c.PyTorchSeconds, c.Sections,
            c.OursRunsSeconds, c.PyTorchRunsSeconds, c.AppSeconds, c.AppRunsSeconds,
        }),
        Runner,
        LeastNotebook = LeastNotebook is { } least ? new { least.Ours, least.PyTorch } : null,
        Profiles = Profiles.Select(p => new
        {
            p.Case.Notebook, p.LibtorchFloorRatio, p.FloorRatio, p.OursRunsCpuSeconds, p.PyTorchRunsCpuSeconds,
            Ours = ProfileJson(p.Ours),
            PyTorch = ProfileJson(p.PyTorch),
        }),
    }, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>A run's report again from the results.json it wrote (<see cref="Json"/>): so that a change to how the
    /// tables are written (never to what was measured) does not cost the hours of measuring again.</summary>
    public static BenchReport FromJson(string json, string source)
    {
        try
        {
            var root = JsonNode.Parse(json)?.AsObject() ?? throw new JsonException("the file holds no JSON object");
            T Read<T>(JsonNode? node, string what) => node is null ? throw new JsonException($"'{what}' is missing") : node.Deserialize<T>() ?? throw new JsonException($"'{what}' is null");
            ChapterCase Chapter(JsonNode node) =>
                ChapterCase.All.FirstOrDefault(c => c.Notebook == Read<string>(node["Notebook"], "Notebook"))
                ?? throw new JsonException($"'{node["Notebook"]}' is no chapter of ChapterCase.All");
            CpuProfile Profile(JsonNode? node, string what)
            {
                if (node is null) throw new JsonException($"'{what}' is missing");
                var top = Read<JsonArray>(node["TopObjects"], what + ".TopObjects")
                    .Select(o => (Read<string>(o?["Dso"], "Dso"), Read<double>(o?["Seconds"], "Seconds"))).ToList();
                return new CpuProfile(Read<double>(node["WallSeconds"], what + ".WallSeconds"), Read<double>(node["CpuSeconds"], what + ".CpuSeconds"),
                    Read<Dictionary<string, double>>(node["SecondsByKind"], what + ".SecondsByKind"),
                    Read<double>(node["LibtorchCallsSeconds"], what + ".LibtorchCallsSeconds"), top);
            }

            var least = root["LeastNotebook"];
            var report = new BenchReport
            {
                Machine = Read<string>(root["Machine"], "Machine"),
                Scale = Read<string>(root["Scale"], "Scale"),
                LeastNotebook = least is null ? null : (Read<Measurement>(least["Ours"], "LeastNotebook.Ours"), Read<Measurement>(least["PyTorch"], "LeastNotebook.PyTorch")),
            };
            foreach (var c in Read<JsonArray>(root["Chapters"], "Chapters").OfType<JsonNode>())
                report.Chapters.Add(new ChapterTiming(Chapter(c), Read<double>(c["OursSeconds"], "OursSeconds"), Read<double>(c["OursCellsSeconds"], "OursCellsSeconds"),
                    Read<double>(c["PyTorchSeconds"], "PyTorchSeconds"), Read<double>(c["PyTorchComputeSeconds"], "PyTorchComputeSeconds"),
                    Read<double>(c["PyTorchPeakRssMiB"], "PyTorchPeakRssMiB"), Read<string>(c["PyTorchVersion"], "PyTorchVersion"),
                    Read<List<SectionTiming>>(c["Sections"], "Sections"), [], Read<List<double>>(c["OursRunsSeconds"], "OursRunsSeconds"),
                    Read<List<double>>(c["PyTorchRunsSeconds"], "PyTorchRunsSeconds"), Read<List<double>>(c["AppRunsSeconds"], "AppRunsSeconds")));
            report.Runner.AddRange(Read<List<Measurement>>(root["Runner"], "Runner"));
            foreach (var p in Read<JsonArray>(root["Profiles"], "Profiles").OfType<JsonNode>())
                report.Profiles.Add(new ChapterProfile(Chapter(p), Profile(p["Ours"], "Ours"), Profile(p["PyTorch"], "PyTorch"),
                    Read<List<double>>(p["OursRunsCpuSeconds"], "OursRunsCpuSeconds"), Read<List<double>>(p["PyTorchRunsCpuSeconds"], "PyTorchRunsCpuSeconds")));
            return report;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: not a results.json written by bench/run: {e.Message}", e);
        }
    }
}
