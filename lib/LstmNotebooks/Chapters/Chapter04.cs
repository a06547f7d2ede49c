// Generated from notebooks/04-sine-wave-lstmcell-lbfgs.ipynb: its cells marked // @save, as written there. Do not edit;
// edit the notebook and run NotebookRunner --export-saved again (a test checks that the two agree).
#nullable disable   // as in the notebook: scripts compile without a nullable context

using System;
using System.Text;
using System.Collections;
using System.Collections.Generic;
using System.Threading.Tasks;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using LstmNotebooks.Charts;
using LstmNotebooks.Exercises;
using LstmNotebooks.Runtime;
using static LstmNotebooks.Chapters.Chapter03;

namespace LstmNotebooks.Chapters;

/// <summary>The code notebooks/04-sine-wave-lstmcell-lbfgs.ipynb shows in its cells marked // @save, for later notebooks to call.</summary>
public static class Chapter04
{
    // ── cell 7 of notebooks/04-sine-wave-lstmcell-lbfgs.ipynb ──

    /// <summary>Waves, one per row: Values[wave, point]; with the period and each wave's shift.</summary>
    public record WaveSet(float[,] Values, int Period, int[] Shifts)
    {
        public int Count => Values.GetLength(0);
        public int Length => Values.GetLength(1);
        public float[] Wave(int index) => Enumerable.Range(0, Length).Select(t => Values[index, t]).ToArray();
    }

    /// <summary>
    /// count waves of length points, y = shape((x + s) / period) for x = 0 … length − 1. Each wave has its own shift s: the
    /// 8·period whole numbers in [−4·period, 4·period), shuffled by the seed, give the first count shifts.
    /// </summary>
    public static WaveSet ShiftedWaves(int count, int length, int period, int seed, Func<double, double> shape)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "the period must be at least 1");
        if (count < 1 || count > 8 * period)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"from 1 to 8·period = {8 * period} waves: each needs its own shift");
        if (length < 2) throw new ArgumentOutOfRangeException(nameof(length), length, "a wave needs at least 2 points");
        var shifts = Enumerable.Range(-4 * period, 8 * period).ToArray();
        new Random(seed).Shuffle(shifts);
        shifts = shifts[..count];
        var values = new float[count, length];
        for (var w = 0; w < count; w++)
            for (var x = 0; x < length; x++)
                values[w, x] = (float)shape((x + shifts[w]) / (double)period);
        return new WaveSet(values, period, shifts);
    }

    // ── cell 15 of notebooks/04-sine-wave-lstmcell-lbfgs.ipynb ──

    public class Sequence : nn.Module<Tensor, int, Tensor>
    {
        private readonly LSTMCell lstm1;
        private readonly LSTMCell lstm2;
        private readonly Linear linear;
        private readonly int hidden;

        public Sequence(int hiddenSize) : base(nameof(Sequence))
        {
            hidden = hiddenSize;
            lstm1 = nn.LSTMCell(1, hiddenSize);
            lstm2 = nn.LSTMCell(hiddenSize, hiddenSize);
            linear = nn.Linear(hiddenSize, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input, int future)
        {
            var batch = input.shape[0];
            var (h1, c1) = (zeros(batch, hidden), zeros(batch, hidden));
            var (h2, c2) = (zeros(batch, hidden), zeros(batch, hidden));
            var outputs = new List<Tensor>();
            Tensor output = null;

            foreach (var x in input.split(1, dim: 1))      // one column per time step: (batch, 1)
            {
                (h1, c1) = lstm1.call(x, (h1, c1));
                (h2, c2) = lstm2.call(h1, (h2, c2));
                output = linear.call(h2);
                outputs.Add(output);
            }
            for (var i = 0; i < future; i++)              // forecast: the prediction becomes the next input
            {
                (h1, c1) = lstm1.call(output, (h1, c1));
                (h2, c2) = lstm2.call(h1, (h2, c2));
                output = linear.call(h2);
                outputs.Add(output);
            }
            return cat(outputs, dim: 1);                   // (batch, time + future)
        }
    }

    // ── cell 17 of notebooks/04-sine-wave-lstmcell-lbfgs.ipynb ──

    /// <summary>
    /// One L-BFGS step. TorchSharp's L-BFGS has no line search: it calls the closure once at the start and once after
    /// each fixed-size inner iteration, up to max_iter calls in all. Each call zeroes the gradients, computes the loss,
    /// backpropagates and returns the loss's value. Returns how many calls it made.
    /// </summary>
    public static int LbfgsStep(LBFGS optimizer, Func<Tensor> computeLoss)
    {
        var evaluations = 0;
        Tensor Closure()
        {
            using var evaluationScope = NewDisposeScope();   // frees this evaluation's activations when it returns
            evaluations++;
            optimizer.zero_grad();
            var loss = computeLoss();
            loss.backward();
            return loss.detach().MoveToOuterDisposeScope();   // only the value is needed; see the note above
        }
        optimizer.step(Closure);
        return evaluations;
    }

    // ── cell 26 of notebooks/04-sine-wave-lstmcell-lbfgs.ipynb ──

    /// <summary>
    /// The autocorrelation of a series at a lag: the mean of (x[t] − x̄)(x[t − lag] − x̄) over the pairs lag points apart,
    /// divided by the variance. Close to 1 when the series, shifted by lag points, lies on itself.
    /// </summary>
    public static double Autocorrelation(float[] series, int lag)
    {
        var mean = series.Average(v => (double)v);
        var variance = series.Average(v => (v - mean) * (v - mean));
        return Enumerable.Range(lag, series.Length - lag).Average(t => (series[t] - mean) * (series[t - lag] - mean)) / variance;
    }

    /// <summary>
    /// The period of series that repeat, in whole points, from their mean autocorrelation: its first peak after it has
    /// dipped below zero — the first lag at which it is positive and higher than at the next lag — searched up to half the
    /// shortest series' length. Null if there is none: the series do not repeat, or are shorter than two periods.
    /// </summary>
    public static int? EstimatePeriod(IReadOnlyList<float[]> series)
    {
        double MeanAutocorrelation(int lag) => series.Average(s => Autocorrelation(s, lag));
        var maxLag = series.Min(s => s.Length) / 2;
        if (maxLag < 2) return null;
        var (dipped, current) = (false, MeanAutocorrelation(1));
        for (var lag = 1; lag < maxLag; lag++)
        {
            var next = MeanAutocorrelation(lag + 1);
            dipped |= current < 0;
            if (dipped && current > 0 && current > next) return lag;
            current = next;
        }
        return null;
    }

    // ── cell 27 of notebooks/04-sine-wave-lstmcell-lbfgs.ipynb ──

    /// <summary>Forecasts that need no training: the count points after the known ones, from the known ones alone.</summary>
    public static float[] RepeatLastValue(float[] known, int count) => Enumerable.Repeat(known[^1], count).ToArray();

    /// <summary>The last value plus h times the last change, h = 1 … count: the straight line through the last two points
    /// (with a single point known, there is no change).</summary>
    public static float[] RepeatLastChange(float[] known, int count)
    {
        var change = known.Length > 1 ? known[^1] - known[^2] : 0;
        return Enumerable.Range(1, count).Select(h => known[^1] + h * change).ToArray();
    }

    /// <summary>The seasonal naive: the last period known points, repeated.</summary>
    public static float[] RepeatLastPeriod(float[] known, int period, int count) =>
        Enumerable.Range(0, count).Select(h => known[known.Length - period + h % period]).ToArray();

    /// <summary>The mean squared error over every point of every series.</summary>
    public static double Mse(IEnumerable<float[]> forecasts, IEnumerable<float[]> truths) =>
        forecasts.Zip(truths, (f, y) => f.Length == y.Length ? f.Zip(y, (a, b) => ((double)a - b) * ((double)a - b))
                                                             : throw new ArgumentException($"a forecast of {f.Length} points against {y.Length} true ones"))
            .SelectMany(errors => errors).Average();

    // ── cell 29 of notebooks/04-sine-wave-lstmcell-lbfgs.ipynb ──

    /// <summary>One task's mean squared errors: the LSTM's and each benchmark's, on the same points. The strongest
    /// benchmark is the one with the lowest, the hardest to beat.</summary>
    public record BenchmarkComparison(string Task, double Lstm, (string Name, double Mse)[] Benchmarks)
    {
        public (string Name, double Mse) Strongest => Benchmarks.MinBy(b => b.Mse);
        public bool LstmBeatsStrongest => Lstm < Strongest.Mse;          // false for NaN: a forecast that blew up beats nothing
        public override string ToString() =>
            $"{Task}, MSE: the LSTM {Lstm:G4}; {string.Join("; ", Benchmarks.Select(b => $"{b.Name} {b.Mse:G4}"))}.\n" +
            $"  The LSTM {(LstmBeatsStrongest ? "beats" : "does NOT beat")} the strongest benchmark, {Strongest.Name} ({Lstm:G4} against {Strongest.Mse:G4}).";
    }

    /// <summary>
    /// The LSTM against the benchmarks, on series of which the model read points 0 … read − 1 and whose next horizon points
    /// are the truth. One step ahead, points 1 … read: each benchmark forecasts each point from the points before it; the
    /// LSTM's MSE is its test loss. Free-running, points read … read + horizon − 1, all from points 0 … read − 1; the LSTM's
    /// forecasts are the columns read − 1 … of its outputs (column j predicts point j + 1).
    /// </summary>
    public static BenchmarkComparison[] CompareWithBenchmarks(float[][] series, int read, int horizon, int? period, double lstmTestLoss, float[][] lstmOutputs)
    {
        var benchmarks = new List<(string Name, Func<float[], int, float[]> Forecast)>
            { ("repeating the last value", RepeatLastValue), ("repeating the last change", RepeatLastChange) };
        var oneStep = benchmarks.Select(b => (b.Name, Mse(series.Select(s => Enumerable.Range(1, read).Select(t => b.Forecast(s[..t], 1)[0]).ToArray()),
                                                          series.Select(s => s[1..(read + 1)])))).ToArray();
        if (period is int p) benchmarks.Add(($"repeating the last period of {p} points", (known, count) => RepeatLastPeriod(known, p, count)));
        var truth = series.Select(s => s[read..(read + horizon)]).ToArray();
        var freeRunning = benchmarks.Select(b => (b.Name, Mse(series.Select(s => b.Forecast(s[..read], horizon)), truth))).ToArray();
        var lstmFreeRunning = Mse(lstmOutputs.Select(o => o[(read - 1)..(read - 1 + horizon)]), truth);
        return [new($"One step ahead, points 1 … {read} of {series.Length} test series", lstmTestLoss, oneStep),
                new($"Free-running, points {read} … {read + horizon - 1} of {series.Length} test series", lstmFreeRunning, freeRunning)];
    }
}
