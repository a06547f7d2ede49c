using static TorchSharp.torch;

namespace LstmNotebooks.Windowing;

/// <summary>
/// A series cut into overlapping windows for sequence-to-sequence training: window i has the features
/// series[i .. i+lookback) and the targets series[i+1 .. i+lookback] — the same window shifted one step ahead.
/// Both are shaped (windows, lookback, 1): samples, time steps, features.
/// </summary>
public sealed class WindowedDataset : IDisposable
{
    private WindowedDataset(Tensor features, Tensor targets, int lookback)
    {
        Features = features;
        Targets = targets;
        Lookback = lookback;
    }

    public Tensor Features { get; }
    public Tensor Targets { get; }
    public int Lookback { get; }
    public long Count => Features.shape[0];

    public static WindowedDataset Create(IReadOnlyList<float> series, int lookback)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (lookback < 1) throw new ArgumentOutOfRangeException(nameof(lookback), lookback, $"lookback must be at least 1, got {lookback}");
        if (lookback >= series.Count)
            throw new ArgumentOutOfRangeException(nameof(lookback), lookback,
                $"lookback must be less than the series length ({series.Count}) to leave at least one window, got {lookback}");

        var windows = series.Count - lookback;
        var features = new float[windows * lookback];
        var targets = new float[windows * lookback];
        for (var i = 0; i < windows; i++)
            for (var t = 0; t < lookback; t++)
            {
                features[i * lookback + t] = series[i + t];
                targets[i * lookback + t] = series[i + t + 1];
            }
        return new WindowedDataset(
            tensor(features).reshape(windows, lookback, 1),
            tensor(targets).reshape(windows, lookback, 1),
            lookback);
    }

    /// <summary>The same, from a tensor holding a 1-D series (n) or a column (n, 1).</summary>
    public static WindowedDataset FromTensor(Tensor series, int lookback)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.dim() is not (1 or 2) || (series.dim() == 2 && series.shape[1] != 1))
            throw new ArgumentException(
                $"expected a series of shape (n) or (n, 1), got [{string.Join(", ", series.shape)}]; windowing takes one univariate series", nameof(series));
        return Create(series.reshape(-1).to(float32).data<float>().ToArray(), lookback);
    }

    public void Dispose()
    {
        Features.Dispose();
        Targets.Dispose();
    }
}

/// <summary>Splits a series in time order: the first part to train on, the rest to test on. Never shuffled.</summary>
public static class ChronologicalSplit
{
    public static (float[] Train, float[] Test) Split(IReadOnlyList<float> series, double trainFraction)
    {
        if (!(trainFraction > 0 && trainFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "the training fraction must be between 0 and 1");
        var trainSize = (int)(series.Count * trainFraction);
        if (trainSize < 2 || series.Count - trainSize < 2)
            throw new ArgumentException($"a {trainFraction:P0} split of {series.Count} points leaves fewer than 2 points on one side");
        return (series.Take(trainSize).ToArray(), series.Skip(trainSize).ToArray());
    }
}
