using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LstmNotebooks.Benchmarks;

/// <summary>A PyTorch reference timing read from bench/pytorch/reference.py's JSON.</summary>
public sealed record ReferenceTiming(string Name, double MedianMs, string Unit);

/// <summary>One row of the ratio table: our median over PyTorch's for the same case, and the target ratio.</summary>
public sealed record Comparison(string Case, string Unit, double OursMs, double PyTorchMs, string PyTorchCase, double? Target)
{
    public double Ratio => OursMs / PyTorchMs;
    public string Verdict => Target is { } t ? (Ratio <= t ? "meets" : "misses") : "";
}

/// <summary>Everything one benchmark run measured, and the tables made from it.</summary>
public sealed class BenchReport
{
    /// <summary>The issue's targets: our time over PyTorch's for the same case.</summary>
    public static readonly IReadOnlyDictionary<string, double> Targets = new Dictionary<string, double>
    {
        ["mlp-epoch"] = 0.3,
        ["airline-epoch-lookback1"] = 0.5,
        ["airline-epoch-lookback4"] = 0.5,
        ["sine-closure"] = 0.6,
    };

    public required string Machine { get; init; }
    public List<Measurement> Training { get; } = [];
    public List<Measurement> ThreadChecks { get; } = [];
    public List<Measurement> Runner { get; } = [];
    public List<MemoryGrowth> Memory { get; } = [];
    public List<TensorCounts> TensorCounts { get; } = [];
    public double PeakRssMiB { get; set; }
    public string? ReferenceDescription { get; private set; }
    public Dictionary<string, ReferenceTiming> Reference { get; } = [];
    public Dictionary<string, double> ReferencePeakRssMiB { get; } = [];

    public void LoadReference(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty");
        ReferenceDescription = $"PyTorch {root["version"]}, {root["threads"]} thread(s), Python {root["python"]}";
        foreach (var (name, value) in root["results"]!.AsObject())
        {
            Reference[name] = new ReferenceTiming(name, value!["median_ms"]!.GetValue<double>(), value["unit"]!.GetValue<string>());
            if (value["peak_rss_mib"] is { } peak) ReferencePeakRssMiB[name] = peak.GetValue<double>();
        }
    }

    public IEnumerable<Comparison> Comparisons()
    {
        foreach (var m in Training)
        {
            if (Reference.TryGetValue(m.Name, out var same))
                yield return new Comparison(m.Name, m.Unit, m.MedianMs, same.MedianMs, $"{same.Name} (float32)", Target(m.Name));
            if (Reference.TryGetValue(m.Name + "-float64", out var original))
                yield return new Comparison(m.Name, m.Unit, m.MedianMs, original.MedianMs, $"{original.Name} (the original's dtype)", Target(m.Name));
        }
    }

    private static double? Target(string name) => Targets.TryGetValue(name, out var t) ? t : null;

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine($"Machine: {Machine}").AppendLine();
        var comparisons = Comparisons().ToList();
        if (comparisons.Count > 0)
        {
            md.AppendLine($"Reference: {ReferenceDescription}.").AppendLine();
            md.AppendLine("| case | ours | PyTorch | ours / PyTorch | target |");
            md.AppendLine("|---|---:|---:|---:|---|");
            foreach (var c in comparisons)
                md.AppendLine($"| {c.Case} (per {c.Unit}) | {Ms(c.OursMs)} | {Ms(c.PyTorchMs)} {(c.PyTorchCase.Contains("float64") ? "(float64)" : "")} | **{c.Ratio:0.00}×** | {(c.Target is { } t ? $"≤ {t:0.0#}× — {c.Verdict}" : "")} |");
            md.AppendLine();
        }
        md.AppendLine("| case | median | min | max | repeats | note |");
        md.AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var m in Training.Concat(ThreadChecks).Concat(Runner))
            md.AppendLine($"| {m.Name} (per {m.Unit}) | {Ms(m.MedianMs)} | {Ms(m.MinMs)} | {Ms(m.MaxMs)} | {m.Repeats} | {m.Note} |");
        md.AppendLine();
        if (Memory.Count > 0 || TensorCounts.Count > 0)
        {
            md.AppendLine("| memory | N | after N | after 10·N | growth |");
            md.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var g in Memory)
                md.AppendLine($"| {g.Name} | {g.N:N0} | {g.AfterNMiB:F1} MiB | {g.After10NMiB:F1} MiB | {g.GrowthMiB:+0.0;-0.0;0.0} MiB |");
            md.AppendLine();
            md.AppendLine("| tensors, first report → last | reports | native tensors | dispose-scope live count | note |");
            md.AppendLine("|---|---:|---:|---:|---|");
            foreach (var t in TensorCounts)
                md.AppendLine($"| {t.Name} | {t.Steps:N0} | {t.NativeDrift:+0;-0;0} | {t.ScopeLiveDrift:+0;-0;0} | {t.Note} |");
            md.AppendLine();
            md.AppendLine($"Peak RSS of the benchmark process: {PeakRssMiB:F0} MiB"
                + (ReferencePeakRssMiB.Count > 0 ? $" (PyTorch reference process: {ReferencePeakRssMiB.Values.Max():F0} MiB)." : "."));
        }
        return md.ToString();
    }

    public string Json() => JsonSerializer.Serialize(new
    {
        side = "torchsharp",
        machine = Machine,
        training = Training,
        threadChecks = ThreadChecks,
        runner = Runner,
        memory = Memory,
        tensorCounts = TensorCounts,
        peakRssMiB = PeakRssMiB,
        comparisons = Comparisons().Select(c => new { c.Case, c.PyTorchCase, c.OursMs, c.PyTorchMs, c.Ratio, c.Target, c.Verdict }),
    }, new JsonSerializerOptions { WriteIndented = true });

    private static string Ms(double ms) => ms switch
    {
        >= 100 => ms.ToString("N0", CultureInfo.InvariantCulture) + " ms",
        >= 1 => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms",
        _ => (ms * 1000).ToString("0.0", CultureInfo.InvariantCulture) + " µs",
    };
}
