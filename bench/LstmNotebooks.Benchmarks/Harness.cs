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
}
