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
}
