using System.Runtime.InteropServices;
using LstmNotebooks.Benchmarks;
using LstmNotebooks.Runtime;

// bench: times every chapter as readers run it (the notebook through the runner) against a PyTorch script per chapter
// doing the same computation, and what the kernel costs a notebook; writes results.md (the tables in docs/performance.md) and results.json.
// Usually started by bench/run, inside the trixie rootfs where PyTorch is installed.

if (args is [LeastNotebook.ProbeArgument]) return LeastNotebook.Probe();

var settings = BenchSettings.Parse(args);
if (settings is null) return 2;
if (settings.ReportAgain) return ReportAgain(settings.OutputDirectory);

var runtime = TorchRuntime.EnsureAvailable();
var ours = $"{Cpu.Description()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}; "
    + $".NET {Environment.Version}, TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)}, {ThreadPolicy.CurrentThreadCount} thread, MKL dispatch {runtime.MklDispatch}";
Console.Error.WriteLine(ours);

var chapters = new ChapterBenchmarks(settings);
var timings = ChapterCase.All.Where(c => settings.Chapters is null || settings.Chapters.Contains(c.Number)).Select(chapters.Run).ToList();
var profiles = timings.Where(t => settings.Profile?.Contains(t.Case.Number) == true).Select(chapters.Profile).ToList();
var runner = new List<Measurement>();
(Measurement Ours, Measurement PyTorch)? leastNotebook = null;
if (settings.Runner)
{
    Console.Error.WriteLine("runner:");
    runner.AddRange(new RunnerBenchmarks(settings).Run());
    Console.Error.WriteLine("the least notebook and the least script:");
    leastNotebook = LeastNotebook.Measure(settings);
}

var finished = new BenchReport
{
    Machine = $"{ours}; PyTorch {timings.FirstOrDefault()?.PyTorchVersion ?? "?"}, 1 thread",
    Scale = settings.Quick ? "**quick parameters (a smoke run, not the course's numbers)**" : "tutorial scale (the notebooks' own parameters)",
    LeastNotebook = leastNotebook,
};
finished.Chapters.AddRange(timings);
finished.Runner.AddRange(runner);
finished.Profiles.AddRange(profiles);
Directory.CreateDirectory(settings.OutputDirectory);
File.WriteAllText(Path.Combine(settings.OutputDirectory, "results.json"), finished.Json());
var markdown = finished.Markdown();
File.WriteAllText(Path.Combine(settings.OutputDirectory, "results.md"), markdown);
Console.WriteLine();
Console.WriteLine(markdown);
Console.WriteLine($"(written to {Path.Combine(settings.OutputDirectory, "results.md")} and results.json)");
return 0;

/// <summary>results.md again from a run's results.json, with this build's tables.</summary>
static int ReportAgain(string directory)
{
    var results = Path.Combine(directory, "results.json");
    if (!File.Exists(results))
    {
        Console.Error.WriteLine($"--report-again: {results} does not exist; run bench/run first");
        return 1;
    }
    try
    {
        var markdown = BenchReport.FromJson(File.ReadAllText(results), results).Markdown();
        File.WriteAllText(Path.Combine(directory, "results.md"), markdown);
        Console.WriteLine(markdown);
        Console.WriteLine($"(written to {Path.Combine(directory, "results.md")} from {results})");
        return 0;
    }
    catch (InvalidDataException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
}

/// <summary>The processor, as a benchmark table must name it: model and the vector extensions libtorch's kernels use.</summary>
internal static class Cpu
{
    public static string Description()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) return RuntimeInformation.ProcessArchitecture.ToString();
        var lines = File.ReadLines(cpuinfo).ToList();
        var model = lines.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var flags = lines.FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(':', 2)[1].Split(' ') ?? [];
        var vector = flags.Contains("avx512f") ? "AVX-512" : flags.Contains("avx2") ? "AVX2, no AVX-512" : "no AVX2";
        return $"{model} ({vector})";
    }
}
