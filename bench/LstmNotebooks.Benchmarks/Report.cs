using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LstmNotebooks.Benchmarks;

/// <summary>Everything one benchmark run measured, and the Markdown tables bench/run prints and puts in docs/performance.md.</summary>
public sealed class BenchReport
{
    /// <summary>Issue #16's target for every chapter and the whole course: at most half PyTorch's time.</summary>
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

    public string Markdown()
    {
        var md = new StringBuilder();
        md.Append($"Measured by `bench/run` on {Machine}; {Scale}.\n\n");
        md.Append("Each chapter as a reader runs it — the notebook through the runner on the kernel VS Code installs, from starting its kernel (its package restore included) to its last cell — against ");
        md.Append("`bench/pytorch/chapterNN.py` doing the same computation in PyTorch, from starting Python to its end; one after the other, same machine");
        var runs = Chapters.Count == 0 ? 1 : Chapters.Max(c => c.OursRunsSeconds.Count);
        var profiled = Profiles.Count == 0 ? 1 : Profiles.Max(p => p.OursRunsCpuSeconds.Count);
        md.Append(runs > 1 ? $"; each side {runs} times, taking turns (with the chapter's app, below), and its fastest run kept (every run in the last table of this block).\n\n" : ".\n\n");
        md.Append($"| chapter | ours | PyTorch | ratio | target ≤ {Target:0.0}× | ours, cells only | PyTorch, after imports | ratio |\n");
        md.Append("|---|---:|---:|---:|---|---:|---:|---:|\n");
        foreach (var c in Chapters)
            md.Append($"| {c.Case.Number} `{Path.GetFileNameWithoutExtension(c.Case.Notebook)}` | {S(c.OursSeconds)} | {S(c.PyTorchSeconds)} | {Ratio(c.OursSeconds, c.PyTorchSeconds)} | "
                + $"{Verdict(c.OursSeconds, c.PyTorchSeconds)} | {S(c.OursCellsSeconds)} | {S(c.PyTorchComputeSeconds)} | {Ratio(c.OursCellsSeconds, c.PyTorchComputeSeconds)} |\n");
        if (Chapters.Count == ChapterCase.All.Count)
        {
            var (ours, theirs) = (Chapters.Sum(c => c.OursSeconds), Chapters.Sum(c => c.PyTorchSeconds));
            var (oursCells, theirsCompute) = (Chapters.Sum(c => c.OursCellsSeconds), Chapters.Sum(c => c.PyTorchComputeSeconds));
            md.Append($"| **whole course** | **{S(ours)}** | **{S(theirs)}** | **{Ratio(ours, theirs)}** | {Verdict(ours, theirs)} | {S(oursCells)} | {S(theirsCompute)} | {Ratio(oursCells, theirsCompute)} |\n");
        }

        FloorTable(md);

        md.Append("\nWhere the time goes — the chapters' training cells against the same sections of the scripts:\n\n");
        md.Append("| chapter: section | ours | PyTorch | ratio |\n|---|---:|---:|---:|\n");
        foreach (var c in Chapters)
            foreach (var s in c.Sections)
                md.Append($"| {c.Case.Number}: {s.Name} | {S(s.OursSeconds)} | {S(s.PyTorchSeconds)} | {Ratio(s.OursSeconds, s.PyTorchSeconds)} |\n");

        var lbfgs = Chapters.SelectMany(c => c.Sections.Where(s => s.OursLbfgs is not null && s.PyTorchLbfgs is not null).Select(s => (c, s))).ToList();
        if (lbfgs.Count > 0)
        {
            md.Append("\nThe L-BFGS sections on the same data (the notebook's own numbers, handed to the script) — the work each side did, ");
            md.Append("and the time per closure evaluation (a forward and a backward pass over all the training waves):\n\n");
            md.Append("| chapter: section | evaluations, ours | PyTorch | last train loss, ours | PyTorch | per evaluation, ours | PyTorch | ratio |\n");
            md.Append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            foreach (var (c, s) in lbfgs)
            {
                var (o, p) = (s.OursLbfgs!, s.PyTorchLbfgs!);
                var (perOurs, perTheirs) = (s.OursSeconds / o.Evaluations, s.PyTorchSeconds / p.Evaluations);
                md.Append($"| {c.Case.Number}: {s.Name} | {o.Evaluations} ({string.Join(" ", o.EvaluationsPerStep)}) | {p.Evaluations} ({string.Join(" ", p.EvaluationsPerStep)}) | "
                    + $"{o.LastTrainLoss.ToString("G4", CultureInfo.InvariantCulture)} | {p.LastTrainLoss.ToString("G4", CultureInfo.InvariantCulture)} | "
                    + $"{Ms(perOurs)} | {Ms(perTheirs)} | {Ratio(perOurs, perTheirs)} |\n");
            }
        }

        if (Profiles.Count > 0)
        {
            md.Append(profiled > 1
                ? $"\nWhere the CPU time goes — each side run {profiled} more times under `perf record`, taking turns, and its run with the least CPU time kept (every profiled run in the last table of this block; "
                : "\nWhere the CPU time goes — each side run once more under `perf record` (");
            md.Append($"cpu-clock samples at {CpuProfiler.SamplesPerSecond} Hz, each with its call stack; our side with .NET's perf map on, so that perf can name the methods .NET compiled), the samples grouped by the code they fell in. ");
            md.Append("A sample in the C library, the OS kernel or the .NET runtime's native code (its allocator and garbage collector, its cast and P/Invoke helpers) counts for the code that called it — libtorch allocates its tensors with the C library's `malloc`, TorchSharp's tensor objects are .NET's to collect — and stays under *libc, C++* or *OS kernel* only when its caller was not found. ");
            md.Append("*libtorch* is libtorch with the math libraries its kernels call (MKL in TorchSharp's build; oneDNN and OpenBLAS in Debian's PyTorch): ");
            md.Append("the operations the chapter's algorithm is made of, the same on both sides; *of which C library, OS* is the part of it spent there on libtorch's behalf. ");
            md.Append("*bindings* are TorchSharp's C++ shim and PyTorch's pybind11 module; *TorchSharp .NET* is TorchSharp's own .NET code (`optim.Adam`, `DataLoader`, the module and tensor classes, their dispose scopes); ");
            md.Append("*runtime* is the rest of .NET (the runner, Roslyn, the JIT compiler, the chapter's own compiled cells) or the Python interpreter (with `torch.optim`'s and `DataLoader`'s Python code). ");
            md.Append("Two **floors**, both over PyTorch's CPU seconds: *libtorch* is our libtorch seconds, the ratio the chapter would reach if the runner, .NET and TorchSharp took no time at all; ");
            md.Append("*libtorch + TorchSharp* adds the bindings and TorchSharp's .NET code, the code a chapter teaching TorchSharp's API cannot do without: the ratio it would reach if only the runner, Roslyn, the JIT and the chapter's own code took no time.\n\n");
            md.Append("| chapter | side | CPU | libtorch | of which C library, OS | bindings | TorchSharp .NET | runtime | libc, C++ | OS kernel | other | floor: libtorch | floor: libtorch + TorchSharp |\n");
            md.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            void Rows(string chapter, CpuProfile ours, CpuProfile pytorch)
            {
                foreach (var (side, profile) in new[] { ("ours", ours), ("PyTorch", pytorch) })
                {
                    string Share(double seconds) => $" {S(seconds)} ({(seconds / profile.CpuSeconds).ToString("0%", CultureInfo.InvariantCulture)}) |";
                    md.Append($"| {chapter} | {side} | {S(profile.CpuSeconds)} |");
                    md.Append(Share(profile.Seconds(CodeKinds.Libtorch)));
                    md.Append(Share(profile.LibtorchCallsSeconds));
                    foreach (var kind in CodeKinds.All.Where(k => k != CodeKinds.Libtorch))
                        md.Append(Share(profile.Seconds(kind)));
                    md.Append(side == "ours"
                        ? $" {Floors.Libtorch(ours, pytorch).ToString("0.00", CultureInfo.InvariantCulture)}× | **{Floors.LibtorchAndTorchSharp(ours, pytorch).ToString("0.00", CultureInfo.InvariantCulture)}×** |\n"
                        : " | |\n");
                }
            }

            foreach (var p in Profiles) Rows(p.Case.Number.ToString(CultureInfo.InvariantCulture), p.Ours, p.PyTorch);
            if (Chapters.Count > 1 && Chapters.All(c => Profiles.Any(p => p.Case == c.Case)))
                Rows("whole course", CpuProfile.Total(Profiles.Select(p => p.Ours).ToList()), CpuProfile.Total(Profiles.Select(p => p.PyTorch).ToList()));
        }

        if (runs > 1)
        {
            var profiledRuns = profiled > 1;
            md.Append("\nEvery timed run, in the order taken (the fastest of each is in the first two tables)");
            md.Append(profiledRuns ? ", and every profiled run's CPU time (the least of each side is in the profile table):\n\n" : ":\n\n");
            md.Append(profiledRuns ? "| chapter | ours | PyTorch | as an app | ours, profiled: CPU | PyTorch, profiled: CPU |\n|---|---|---|---|---|---|\n"
                : "| chapter | ours | PyTorch | as an app |\n|---|---|---|---|\n");
            foreach (var c in Chapters)
            {
                md.Append($"| {c.Case.Number} | {string.Join(", ", c.OursRunsSeconds.Select(S))} | {string.Join(", ", c.PyTorchRunsSeconds.Select(S))} | {string.Join(", ", c.AppRunsSeconds.Select(S))} |");
                if (profiledRuns)
                {
                    var p = Profiles.FirstOrDefault(p => p.Case == c.Case);
                    md.Append(p is null ? " | |" : $" {string.Join(", ", p.OursRunsCpuSeconds.Select(S))} | {string.Join(", ", p.PyTorchRunsCpuSeconds.Select(S))} |");
                }
                md.Append('\n');
            }
        }

        if (Runner.Count > 0)
        {
            md.Append("\nWhat the kernel and the runner cost a notebook (a small notebook, a fresh kernel each time; median of the runs):\n\n");
            md.Append("| cost | median | min | max | what |\n|---|---:|---:|---:|---|\n");
            foreach (var m in Runner)
                md.Append($"| {m.Name} | {m.MedianMs:0} ms | {m.MinMs:0} ms | {m.MaxMs:0} ms | {m.Note} |\n");
        }
        return md.ToString();
    }

    /// <summary>The least each chapter could take, measured in the same run: its app, the least notebook and, for a
    /// profiled chapter, its profile's floor; the whole course's is the sum of its chapters'.</summary>
    private void FloorTable(StringBuilder md)
    {
        if (Chapters.Count == 0) return;
        var least = LeastNotebook?.Ours.MinMs / 1000;
        md.Append("\nWhat no runner or kernel can go below — the least each chapter could take, measured in the same run. ");
        md.Append("*As an app*: the chapter's own code (`apps/`, generated from the notebook) built in Release ahead of the run and started as a plain .NET program — ");
        md.Append("no notebook, no runner, no Roslyn at run time, its fastest run; the notebook does this work and compiles its cells besides. ");
        if (least is not null)
            md.Append($"*The least notebook*: a .NET process doing nothing but compile `1 + 1` with Roslyn and create one TorchSharp tensor (which loads libtorch), {Ms(least.Value)} at its fastest of {LeastNotebook!.Value.Ours.Repeats} (Python starting and importing torch: {Ms(LeastNotebook.Value.PyTorch.MinMs / 1000)}); every notebook pays it before its first line. ");
        if (Profiles.Count > 0)
            md.Append("*Profile*: a profiled chapter's *floor: libtorch + TorchSharp* (the profile table below), the CPU our side spent in the code a chapter teaching TorchSharp's API cannot do without, over PyTorch's. ");
        md.Append("The **floor** is the largest ratio: where it is above the target, no runner or kernel takes the chapter to it. ");
        md.Append("An app whose fastest run is slower than the notebook's fastest measured this machine's noise, not the chapter: it gives no floor (shown in brackets). ");
        md.Append("The whole course's floor is its chapters' floors added up, each in seconds (its ratio times the chapter's PyTorch time), over the course's PyTorch time.\n\n");
        md.Append($"| chapter | ours | PyTorch | ratio | as an app | ratio | the least notebook | ratio | profile | floor | target ≤ {Target:0.0}× |\n");
        md.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        string FloorVerdict(double ratio, double floor) =>
            ratio <= Target ? "meets" : floor > Target ? "misses; floor above it" : floor > 0 ? "misses; floor below it" : "misses; no floor measured";
        string F(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";
        var floorSeconds = 0.0;
        foreach (var c in Chapters)
        {
            // The notebook does the app's work and more: an app slower than the notebook was disturbed, not a floor.
            var appIsFloor = c.AppSeconds <= c.OursSeconds;
            var profile = Profiles.FirstOrDefault(p => p.Case == c.Case)?.FloorRatio;
            var floor = new[] { appIsFloor ? c.AppSeconds / c.PyTorchSeconds : 0, (least ?? 0) / c.PyTorchSeconds, profile ?? 0 }.Max();
            floorSeconds += floor * c.PyTorchSeconds;
            var appRatio = appIsFloor ? Ratio(c.AppSeconds, c.PyTorchSeconds) : $"({Ratio(c.AppSeconds, c.PyTorchSeconds)})";
            md.Append($"| {c.Case.Number} | {S(c.OursSeconds)} | {S(c.PyTorchSeconds)} | {Ratio(c.OursSeconds, c.PyTorchSeconds)} | {S(c.AppSeconds)} | {appRatio} | ");
            md.Append(least is null ? "— | — |" : $"{S(least.Value)} | {Ratio(least.Value, c.PyTorchSeconds)} |");
            md.Append(profile is null ? " — |" : $" {F(profile.Value)} |");
            md.Append($" {(floor > 0 ? F(floor) : "—")} | {FloorVerdict(c.OursSeconds / c.PyTorchSeconds, floor)} |\n");
        }
        if (Chapters.Count == ChapterCase.All.Count)
        {
            var (ours, theirs) = (Chapters.Sum(c => c.OursSeconds), Chapters.Sum(c => c.PyTorchSeconds));
            var floor = floorSeconds / theirs;
            md.Append($"| **whole course** | {S(ours)} | {S(theirs)} | {Ratio(ours, theirs)} | — | — | ");
            md.Append(least is null ? "— | — |" : $"{S(least.Value * Chapters.Count)} | {Ratio(least.Value * Chapters.Count, theirs)} |");
            md.Append($" — | {(floor > 0 ? F(floor) : "—")} | {FloorVerdict(ours / theirs, floor)} |\n");
        }
    }

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
