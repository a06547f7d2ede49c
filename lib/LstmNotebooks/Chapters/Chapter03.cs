// Generated from notebooks/03-airline-windowing.ipynb: its cells marked // @save, as written there. Do not edit;
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
using Microsoft.Data.Analysis;
using LstmNotebooks.Charts;
using LstmNotebooks.Data;
using LstmNotebooks.Exercises;
using LstmNotebooks.Runtime;
using LstmNotebooks.Training;

namespace LstmNotebooks.Chapters;

/// <summary>The code notebooks/03-airline-windowing.ipynb shows in its cells marked // @save, for later notebooks to call.</summary>
public static class Chapter03
{
    // ── cell 14 of notebooks/03-airline-windowing.ipynb ──

    /// <summary>Overlapping windows of a series: features series[i .. i+lookback), targets one step later.</summary>
    public static (Tensor Features, Tensor Targets) CreateWindows(float[] series, int lookback)
    {
        if (lookback < 1 || lookback >= series.Length)
            throw new ArgumentOutOfRangeException(nameof(lookback), lookback,
                $"lookback must be at least 1 and less than the series length ({series.Length}), to leave at least one window");
        var windows = series.Length - lookback;
        var features = new float[windows * lookback];
        var targets = new float[windows * lookback];
        for (var i = 0; i < windows; i++)
        {
            Array.Copy(series, i, features, i * lookback, lookback);       // series[i .. i+lookback)
            Array.Copy(series, i + 1, targets, i * lookback, lookback);    // series[i+1 .. i+lookback]
        }
        // (windows · lookback) values → (windows, lookback, 1): samples, time steps, features
        return (tensor(features).reshape(windows, lookback, 1), tensor(targets).reshape(windows, lookback, 1));
    }

    // ── cell 15 of notebooks/03-airline-windowing.ipynb ──

    /// <summary>A tensor's shape as "(a, b, c)", for printing; chapters 4 and 5 use it too.</summary>
    public static string Shape(Tensor t) => $"({string.Join(", ", t.shape)})";

    // ── cell 20 of notebooks/03-airline-windowing.ipynb ──

    public class AirModel : nn.Module<Tensor, Tensor>
    {
        private readonly LSTM lstm;
        private readonly Linear linear;

        public AirModel(int hiddenSize) : base(nameof(AirModel))
        {
            lstm = nn.LSTM(inputSize: 1, hiddenSize: hiddenSize, numLayers: 1, batchFirst: true);
            linear = nn.Linear(hiddenSize, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var (output, _, _) = lstm.call(x);   // output: (batch, time, hidden) — h at every time step
            return linear.call(output);          // (batch, time, 1)
        }
    }

    // ── cell 24 of notebooks/03-airline-windowing.ipynb ──

    /// <summary>One epoch: for each mini-batch, one optimizer step on the mean squared error.</summary>
    public static void TrainEpoch(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, IEnumerable<IList<Tensor>> batches)
    {
        model.train();
        foreach (var batch in batches)   // batch[0]: up to batchSize windows, batch[1]: their targets
        {
            using var scope = NewDisposeScope();   // frees this step's tensors when it ends
            model.zero_grad();   // clear the gradients (set to none, as PyTorch's zero_grad does)
            var loss = nn.functional.mse_loss(model.call(batch[0]), batch[1]);
            loss.backward();
            optimizer.step();
        }
    }
}
