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
using LstmNotebooks.Data;
using LstmNotebooks.Runtime;
using static LstmNotebooks.Chapters.Chapter03;

namespace LstmNotebooks.Chapters;

/// <summary>The code notebooks/04-sine-wave-lstmcell-lbfgs.ipynb shows in its cells marked // @save, for later notebooks to call.</summary>
public static class Chapter04
{
    // ── cell 11 of notebooks/04-sine-wave-lstmcell-lbfgs.ipynb ──

    public class Sequence : nn.Module<Tensor, Tensor>
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

        public override Tensor forward(Tensor input) => forward(input, future: 0);

        public Tensor forward(Tensor input, int future)
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

    // ── cell 13 of notebooks/04-sine-wave-lstmcell-lbfgs.ipynb ──

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
