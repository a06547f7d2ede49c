using System.Diagnostics;

namespace LstmNotebooks.Benchmarks;

/// <summary>One timed case: the median, fastest and slowest time per unit of work over the timed repeats.</summary>
public sealed record Measurement(string Name, string Unit, double MedianMs, double MinMs, double MaxMs, int Repeats, string? Note = null);

public static class Harness
{
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Runs a command to its end with its output captured: exit code, standard output, standard error.</summary>
    public static (int Code, string Stdout, string Stderr) RunToEnd(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
