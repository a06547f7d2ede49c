using System.Diagnostics;

namespace LstmNotebooks.Benchmarks;

/// <summary>One timed case: the median, fastest and slowest time per unit of work over the timed repeats.</summary>
public sealed record Measurement(string Name, string Unit, double MedianMs, double MinMs, double MaxMs, int Repeats, string? Note = null);

/// <summary>
/// An honest stopwatch harness: untimed warm-up runs (JIT, allocator, libtorch's lazy initialisation), then timed
/// repeats, each doing <c>per</c> units of work, reported as milliseconds per unit; the median is the headline number.
/// A full garbage collection runs between repeats, never inside one.
/// </summary>
public static class Harness
{
    public static Measurement Time(string name, string unit, int per, int warmup, int repeats, Action run, string? note = null)
    {
        if (per < 1 || repeats < 1 || warmup < 0) throw new ArgumentOutOfRangeException(nameof(repeats), "per and repeats must be at least 1, warmup at least 0");
        for (var i = 0; i < warmup; i++) run();
        var samples = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            Settle();
            var clock = Stopwatch.StartNew();
            run();
            samples[i] = clock.Elapsed.TotalMilliseconds / per;
        }
        var result = new Measurement(name, unit, Median(samples), samples.Min(), samples.Max(), repeats, note);
        Console.Error.WriteLine($"  {name,-34} {result.MedianMs,12:F4} ms per {unit}  (min {result.MinMs:F4}, max {result.MaxMs:F4}, {repeats} repeats)");
        return result;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

/// <summary>The process's resident memory, from /proc/self/status (Linux).</summary>
public static class ResidentMemory
{
    public static double CurrentMiB => Read("VmRSS:");
    public static double PeakMiB => Read("VmHWM:");

    private static double Read(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return double.NaN;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }
}
