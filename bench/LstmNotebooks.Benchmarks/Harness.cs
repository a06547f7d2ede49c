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

    /// <summary>Runs a command to its end with its output captured: exit code, standard output, standard error, and
    /// its wall time from starting the process to its exit.</summary>
    public static (int Code, string Stdout, string Stderr, double WallSeconds) RunToEnd(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var wall = clock.Elapsed.TotalSeconds;
        return (process.ExitCode, stdout, stderr.Result, wall);
    }

    /// <summary>The last lines of a command's output, for an error message.</summary>
    public static string Tail(string text, int lines) => string.Join('\n', text.Trim().Split('\n').TakeLast(lines));
}
