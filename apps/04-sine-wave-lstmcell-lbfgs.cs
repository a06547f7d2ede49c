// 04-sine-wave-lstmcell-lbfgs: generated from notebooks/04-sine-wave-lstmcell-lbfgs.ipynb by NotebookRunner (--export-apps); do not edit.
// Run it with: dotnet run apps/04-sine-wave-lstmcell-lbfgs.cs [--parameter value ...] [--out DIR]
#:package TorchSharp-cpu@0.107.0
#:project ../lib/LstmNotebooks/LstmNotebooks.csproj
#:project ../lib/NotebookApp/NotebookApp.csproj

using System;
using System.Text;
using System.Collections;
using System.Collections.Generic;
using System.Threading.Tasks;
using System.Linq;
using static NotebookApp.AppDisplay;   // display(...) and HTML(...), as in the notebook's kernel
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using LstmNotebooks.Charts;
using LstmNotebooks.Data;
using LstmNotebooks.Runtime;
using static LstmNotebooks.Chapters.Chapter03;

var app = NotebookApp.AppHost.Start("04-sine-wave-lstmcell-lbfgs", args);   // runs in this file's folder, as the notebook runs in its own

// # Chapter 4 — Sine waves with two LSTM cells and an L-BFGS closure
//
// In chapter 3, `nn.LSTM` ran the loop over time for us. Here we write that loop ourselves with two stacked
// `LSTMCell`s: every step is explicit, so going past the end of the data — feeding each prediction back in as the next
// input, to forecast a thousand steps ahead — is one more loop. (`nn.LSTM` can do that too, called one step at a time
// with its `(h, c)` passed back in; written out by hand, the cells show what it does inside.) We train it with L-BFGS, an optimiser
// that needs a *closure*.
//
// **What you will learn**
//
// - how `N` waves of `L` points become inputs and targets of shape `(waves, L − 1)`;
// - to write a recurrent forward pass by hand: zero states, a step per time point, and `future` extra steps;
// - what L-BFGS does, why it needs a closure, and what one optimiser *step* is;
// - how errors accumulate in a free-running forecast, and how to go back to the best step.

// ## Set-up

// ── cell 3 ──
display(TorchRuntime.EnsureAvailable().ToString());

// ## Parameters
//
// Tutorial scale follows PyTorch's time-sequence-prediction example: 100 waves of 1000 points, 3 of them held out.
// Each L-BFGS step evaluates the model on all 97 training waves up to 20 times, so a step takes a while; 10 steps
// are enough for a good fit.

// ── cell 5 (parameters) ──
var waveCount = 100;        // N: how many waves (not points)
var length = 1000;          // L: points per wave
var period = 20;            // T in y = sin(x / T)
var testWaves = 3;          // the first waves are held out
var hiddenSize = 64;
var learningRate = 0.08;    // L-BFGS step size
var steps = 10;             // L-BFGS steps
var future = 1000;          // how far to forecast past the end of each test wave
var seed = 2;
// Any of the parameters above can be given on the command line, e.g. --waveCount value:
waveCount = app.Get("waveCount", waveCount);
length = app.Get("length", length);
period = app.Get("period", period);
testWaves = app.Get("testWaves", testWaves);
hiddenSize = app.Get("hiddenSize", hiddenSize);
learningRate = app.Get("learningRate", learningRate);
steps = app.Get("steps", steps);
future = app.Get("future", future);
seed = app.Get("seed", seed);
app.Check();

// ## The data: N waves of L points
//
// Each wave is $y = \sin(x / T)$ over $x = s, s+1, \dots, s+L-1$, where the start $s$ is a random whole number in
// $[-4T, 4T)$, so the waves are the same curve at different phases. Note what $N$ counts: $N = 100$ is the number of
// **waves**; each wave has $L = 1000$ points. The data is an $N \times L$ matrix, one wave per row.

// ── cell 7 ──
var waves = SineWaves.Generate(waveCount, length, period, seed);
Console.WriteLine($"{waves.Count} waves × {waves.Length} points, period parameter T = {waves.Period}");
var firstWave = waves.Wave(0);
display(CourseCharts.Figure("One of the sine waves", "x (time step)", "y",
    CourseCharts.Line(Enumerable.Range(0, firstWave.Length), firstWave, "wave 0", CourseCharts.Colours.Data)));

// ## Inputs and targets
//
// The task is the one from chapter 3, at every time step: given the points so far, predict the next one. So the
// inputs are points $0 \dots L-2$ of each wave and the targets are points $1 \dots L-1$, the same wave shifted by one.
// The last 97 waves are for training, the first 3 for testing. That gives inputs and targets of shape
// `(97, 999)` for training and `(3, 999)` for testing — one row per wave, one column per time step. There is a single
// feature per step, so, unlike chapter 3, we keep the tensors 2-D and feed the cells one column at a time.

// ── cell 9 ──
var data = tensor(waves.Values);                    // (N, L)
var trainInput  = data[testWaves.., ..^1];          // waves 3 … N−1, points 0 … L−2
var trainTarget = data[testWaves.., 1..];           // waves 3 … N−1, points 1 … L−1
var testInput   = data[..testWaves, ..^1];
var testTarget  = data[..testWaves, 1..];
var trainInputShape = Shape(trainInput);
var testInputShape = Shape(testInput);
Console.WriteLine($"train input {trainInputShape}, target {Shape(trainTarget)}");
Console.WriteLine($"test input  {testInputShape}, target {Shape(testTarget)}");

// ## The model: two cells, stepped by hand
//
// Two `LSTMCell`s are stacked: the first reads the input value, the second reads the first one's hidden state, and a
// `Linear` layer turns the second hidden state into the prediction. `forward` does what `nn.LSTM` did for us:
//
// 1. start both cells from zero states $(h, c)$ — in TorchSharp `LSTMCell` needs them explicitly;
// 2. split the input along time into columns of shape `(batch, 1)` and step both cells through them, collecting a
//    prediction per step;
// 3. then, for `future` more steps, feed the **last prediction** back in as the next input.
//
// The output is `(batch, time + future)`. (The article this chapter follows printed this class with names that did not
// match between constructor and `forward`, and a syntax error; the version here compiles and runs.)
//
// Chapter 5 trains this model again on new data, so the cell is marked `// @save`: the helper library compiles it as
// written (`LstmNotebooks.Chapters.Chapter04.Sequence`), as chapter 3 explained.

// ── cell 11 ──

// ## L-BFGS and its closure
//
// Adam and SGD take one gradient and move. **L-BFGS** is a quasi-Newton method: it remembers the last gradients and
// steps to estimate the curvature of the loss and chooses a direction from that. TorchSharp's L-BFGS has no line
// search: one step runs up to `max_iter` inner iterations, each moving a fixed distance, set by the learning rate,
// along a new direction and then evaluating the loss and its gradient again — *several evaluations within one step*. So `step` cannot take a loss computed
// beforehand; it takes a **closure**, a function it can call as often as it needs, that
//
// 1. zeroes the gradients, 2. runs the forward pass, 3. computes the loss, 4. backpropagates, and 5. returns the loss.
//
// **A TorchSharp detail.** L-BFGS reads only the loss's *value* — the gradients are already in the parameters after
// `backward()`. In TorchSharp 0.107 the tensor the closure returns is handed to native code that never frees it, so
// returning `loss` itself keeps its whole autograd graph alive, and memory grows with every evaluation. Returning
// `loss.detach()` — the same number without the graph — leaves only a scalar behind. (In PyTorch you would return `loss`.) Each evaluation also gets its own dispose scope, so its activations are freed when it returns
// rather than after all the evaluations of a step; the returned scalar
// moves out to the step's scope.
//
// `LbfgsStep` below wraps one step: it builds the closure from a function that computes the loss, and counts the
// evaluations. Chapter 5 trains with it again, so it is marked `// @save` too.
//
// One *step* of L-BFGS runs up to `max_iter` (20 by default) such evaluations. That makes each step expensive, but
// few steps are needed on a smooth problem like this one — and no learning-rate schedule or mini-batches.
//
// After each step we measure the test loss, and forecast the 3 test waves `future` steps past their end, without
// gradients. We also keep a copy of the model's weights at the step with the lowest test loss. (Creating the optimizer
// makes libtorch print a warning, "Optimizer::parameters() will be removed", about an internal call TorchSharp's
// L-BFGS makes; it is harmless.)

// ── cell 13 ──
// @save
/// <summary>
/// One L-BFGS step. TorchSharp's L-BFGS has no line search: it calls the closure once at the start and once after
/// each fixed-size inner iteration, up to max_iter calls in all. Each call zeroes the gradients, computes the loss,
/// backpropagates and returns the loss's value. Returns how many calls it made.
/// </summary>
int LbfgsStep(LBFGS optimizer, Func<Tensor> computeLoss)
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

// ── cell 14 ──
manual_seed(seed);
var model = new Sequence(hiddenSize);
var optimizer = optim.LBFGS(model.parameters(), lr: learningRate);
var mse = nn.MSELoss();
var trainLosses = new List<double>();
var evaluationsPerStep = new List<int>();            // how often L-BFGS called the closure in each step
var testLosses = new List<double>();
var forecasts = new List<(string Label, float[][] Forecasts)>();
Dictionary<string, Tensor> bestState = null;
var (bestStep, bestTestLoss) = (0, double.PositiveInfinity);
Tensor lastForecast = null;
var progress = display("training…");
for (var step = 1; step <= steps; step++)
{
    using var scope = NewDisposeScope();
    var evaluations = LbfgsStep(optimizer, () => mse.call(model.forward(trainInput), trainTarget));
    evaluationsPerStep.Add(evaluations);

    using (no_grad())
    {
        trainLosses.Add(mse.call(model.forward(trainInput), trainTarget).item<float>());
        var prediction = model.forward(testInput, future);                    // (3, 999 + future)
        var testLoss = mse.call(prediction[.., ..(int)testTarget.shape[1]], testTarget).item<float>();
        testLosses.Add(testLoss);
        forecasts.Add(($"step {step}", Enumerable.Range(0, testWaves).Select(w => prediction[w].data<float>().ToArray()).ToArray()));
        if (testLoss < bestTestLoss)
        {
            bestState?.Values.ToList().ForEach(t => t.Dispose());
            bestState = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
            (bestStep, bestTestLoss) = (step, testLoss);
        }
        lastForecast?.Dispose();
        lastForecast = prediction.DetachFromDisposeScope();
    }
    progress.Update($"step {step}/{steps}: {evaluations} closure evaluations, train loss {trainLosses[^1]:G4}, test loss {testLosses[^1]:G4}");
}
Console.WriteLine($"closure evaluations per step: {string.Join(", ", evaluationsPerStep)} ({evaluationsPerStep.Sum()} forward and backward passes in all)");
var forecastShape = Shape(lastForecast);
display($"forecast tensor: {forecastShape}  (test waves, L − 1 + future)");

// ── cell 15 ──
display(CourseCharts.Figure("Loss after each L-BFGS step", "step", "MSE (log scale)", new[]
{
    CourseCharts.Line(Enumerable.Range(1, steps), trainLosses, "train loss", CourseCharts.Colours.Train, markers: true),
    CourseCharts.Line(Enumerable.Range(1, steps), testLosses, "test loss", CourseCharts.Colours.Test, markers: true),
}, logY: true));

// Every step's forecasts, on one chart: move the slider to go through the steps. Solid lines are the model's
// one-step-ahead predictions over the known 999 points; dotted lines are the free-running forecast beyond them.

// ── cell 17 ──
display(CourseCharts.ForecastSteps("Forecasts of the 3 test waves", forecasts, knownLength: (int)testInput.shape[1]));

// ## Error accumulation
//
// Over the known range each prediction starts from a true value, so one step's error is all there is. In the dotted
// range the model reads its own previous prediction: a small error becomes the next input, the next prediction inherits
// it, and errors compound. Early steps drift off quickly — the forecast flattens or wanders in frequency — and later
// steps hold the wave's shape for hundreds of steps. A free-running forecast is the hardest test of a sequence model.
//
// Because L-BFGS takes large steps, the test loss does not always fall monotonically. We kept the weights of the best
// step; going back to them is just copying them into the model:

// ── cell 19 ──
using (no_grad())
{
    foreach (var (name, parameter) in model.state_dict()) parameter.copy_(bestState[name]);
}
double restoredTestLoss;
using (no_grad())
{
    restoredTestLoss = mse.call(model.forward(testInput), testTarget).item<float>();
}
Console.WriteLine($"best step: {bestStep} (test loss {bestTestLoss:G4}); after restoring it the test loss is {restoredTestLoss:G4}");

// **When it won't converge.** L-BFGS is sensitive to the step size: if the loss jumps to `NaN` or explodes, lower
// `learningRate` (0.8 in PyTorch's example is for float64; 0.08 is safer in float32), or cap the iterations per step
// (`max_iter`). Check that inputs and targets are shifted by exactly one step. Scale the data to about unit size —
// L-BFGS uses curvature, and badly scaled data makes it poor. And if a step makes the test loss worse, go back to the
// best step, as above, rather than training on.
//
// ## Summary
//
// - `N` waves of `L` points give inputs and targets of shape `(N − 3, L − 1)` and `(3, L − 1)`.
// - Writing the loop over time with `LSTMCell`s lets the model run past the data: each prediction is fed back in.
// - L-BFGS needs a closure because one step evaluates the loss many times; the closure zeroes gradients, runs forward,
//   computes the loss, backpropagates and returns it.
// - Free-running forecasts accumulate error; keep the best step and restore it.
//
// **Next:** [Chapter 5 — Building the model from the data's shape](05-automated-shape-inference.ipynb) wraps this
// recipe so that new data of any size gets the right tensors and model without hand-sizing anything.

// ── the notebook's type declarations (a C# program declares its types after its statements) ──

// @save
class Sequence : nn.Module<Tensor, Tensor>
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
