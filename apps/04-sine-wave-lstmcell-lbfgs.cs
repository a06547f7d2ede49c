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
// - how `N` waves of `L` points become inputs and targets of shape `(waves, L − 1)`, split into training, validation
//   and test waves, no wave in two of them;
// - to write a recurrent forward pass by hand: zero states, a step per time point, and `future` extra steps;
// - what L-BFGS does, why it needs a closure, and what one optimiser *step* is;
// - how errors accumulate in a free-running forecast;
// - to choose the step to keep with validation waves, go back to it, and measure the test waves once, at the end.

// ## Set-up

// ── cell 3 ──
display(TorchRuntime.EnsureAvailable().ToString());

// ## Parameters
//
// Tutorial scale follows PyTorch's time-sequence-prediction example: 100 waves of 1000 points, of which the example
// holds out 3 to test on. We hold out 3 more, *validation* waves, to choose which training step to keep, so 94 waves
// train. Each L-BFGS step evaluates the model on all the training waves up to 20 times, so a step takes a while; we
// run 10 steps.

// ── cell 5 (parameters) ──
var waveCount = 100;        // N: how many waves (not points)
var length = 1000;          // L: points per wave
var period = 20;            // T in y = sin(x / T)
var testWaves = 3;          // the first waves: measured once, at the end
var validationWaves = 3;    // the next ones: choose the step to keep
var hiddenSize = 64;
var learningRate = 0.08;    // L-BFGS step size
var steps = 10;             // L-BFGS steps
var future = 1000;          // how far to forecast past the end of each held-out wave
var seed = 2;
// Any of the parameters above can be given on the command line, e.g. --waveCount value:
waveCount = app.Get("waveCount", waveCount);
length = app.Get("length", length);
period = app.Get("period", period);
testWaves = app.Get("testWaves", testWaves);
validationWaves = app.Get("validationWaves", validationWaves);
hiddenSize = app.Get("hiddenSize", hiddenSize);
learningRate = app.Get("learningRate", learningRate);
steps = app.Get("steps", steps);
future = app.Get("future", future);
seed = app.Get("seed", seed);
app.Check();

// ## The data: N waves of L points
//
// Each wave is $y = \sin\big((x + s) / T\big)$ for $x = 0, 1, \dots, L-1$, where the shift $s$ is a whole number in
// $[-4T, 4T)$, so the waves are the same curve at different phases. Note what $N$ counts: $N = 100$ is the number of
// **waves**; each wave has $L = 1000$ points. The data is an $N \times L$ matrix, one wave per row.
//
// PyTorch's example draws each wave's shift on its own, so two waves can get the same shift — and be the same wave,
// one of them in the training set and the other in the test set. We draw the shifts *without repetition*: the $8T$
// whole numbers in $[-4T, 4T)$, shuffled by the seed, give the first $N$ shifts (so $N$ is at most $8T$). Chapter 5
// makes waves of another shape the same way, so this cell is marked `// @save`: the helper library compiles the cells
// marked so, as chapter 3 explained, and a later chapter calls them from there.

// ── cell 7 ──
/// <summary>
/// count waves of length points, y = shape((x + s) / period) for x = 0 … length − 1. Each wave has its own shift s: the
/// 8·period whole numbers in [−4·period, 4·period), shuffled by the seed, give the first count shifts.
/// </summary>
WaveSet ShiftedWaves(int count, int length, int period, int seed, Func<double, double> shape)
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

// ── cell 8 ──
var waves = ShiftedWaves(waveCount, length, period, seed, Math.Sin);
Console.WriteLine($"{waves.Count} waves × {waves.Length} points, period parameter T = {waves.Period}, {waves.Shifts.Distinct().Count()} different shifts");
var firstWave = waves.Wave(0);
display(CourseCharts.Figure("One of the sine waves", "x (time step)", "y",
    CourseCharts.Line(Enumerable.Range(0, firstWave.Length), firstWave, "wave 0", CourseCharts.Colours.Data)));

// ## Inputs and targets
//
// The task is the one from chapter 3, at every time step: given the points so far, predict the next one. So the
// inputs are points $0 \dots L-2$ of each wave and the targets are points $1 \dots L-1$, the same wave shifted by one.
// The first 3 waves are the **test** waves, the next 3 the **validation** waves, and the other 94 train (the shifts
// were shuffled, so the first waves are as good as any). That gives inputs and targets of shape `(94, 999)` for
// training and `(3, 999)` for validation and for test — one row per wave, one column per time step. There is a single
// feature per step, so, unlike chapter 3, we keep the tensors 2-D and feed the cells one column at a time.

// ── cell 10 ──
var data = tensor(waves.Values);                            // (N, L)
var test = ..testWaves;                                     // rows of the test waves
var validation = testWaves..(testWaves + validationWaves);  // then the validation waves
var train = (testWaves + validationWaves)..;                // and the rest
var trainInput = data[train, ..^1];                         // points 0 … L−2
var trainTarget = data[train, 1..];                         // points 1 … L−1
var validationInput = data[validation, ..^1];
var validationTarget = data[validation, 1..];
var testInput = data[test, ..^1];
var testTarget = data[test, 1..];
Console.WriteLine($"train input {Shape(trainInput)}, target {Shape(trainTarget)}");
Console.WriteLine($"validation input {Shape(validationInput)}, target {Shape(validationTarget)}");
Console.WriteLine($"test input {Shape(testInput)}, target {Shape(testTarget)}");

// **How new is a held-out wave?** Distinct shifts rule out copies, not overlap. Two waves whose shifts differ by $d$
// are the same curve $d$ points apart: $L - d$ points of one are points of the other, the very same numbers. For each
// held-out wave, the training wave with the nearest shift:

// ── cell 12 ──
var trainShifts = waves.Shifts[(testWaves + validationWaves)..];
for (var w = 0; w < testWaves + validationWaves; w++)
{
    var shift = waves.Shifts[w];
    var nearest = trainShifts.MinBy(s => Math.Abs(s - shift));
    var apart = Math.Abs(nearest - shift);
    Console.WriteLine($"{(w < testWaves ? "test" : "validation")} wave {w}: shift {shift}; nearest training shift {nearest} ({apart} apart): " +
        $"{Math.Max(0, length - apart)} of its {length} points are in that training wave");
}

// So on the known points a validation or test wave tells us how well the model predicts the next point of *this* curve
// from its past — not how it does on a curve it has never seen. Shifted sines cannot tell us more: held out or not,
// every wave is a stretch of the one curve $\sin(x/T)$, which repeats every $2\pi T$ points. What no training wave shows
// the model is its own output: in training every input is a true value, while the forecast beyond a wave's last point
// feeds each prediction back in. That free-running forecast is where the held-out waves test something training did not,
// and the charts below show it.

// ## The model: two cells, stepped by hand
//
// Two `LSTMCell`s are stacked: the first reads the input value, the second reads the first one's hidden state, and a
// `Linear` layer turns the second hidden state into the prediction. Its `forward(input, future)` does what `nn.LSTM`
// did for us:
//
// 1. start both cells from zero states $(h, c)$ — in TorchSharp `LSTMCell` needs them explicitly;
// 2. split the input along time into columns of shape `(batch, 1)` and step both cells through them, collecting a
//    prediction per step;
// 3. then, for `future` more steps, feed the **last prediction** back in as the next input.
//
// The output is `(batch, time + future)`. `forward` takes two arguments, so the model derives from
// `nn.Module<Tensor, int, Tensor>`, and we run it as every TorchSharp module is run, with `call(input, future)`:
// `call` runs `forward` together with any hooks registered on the module. With `future = 0` it returns just the
// one-step predictions, which is all training needs. (The article this chapter follows printed this class with names
// that did not match between constructor and `forward`, and a syntax error; the version here compiles and runs.)
//
// Chapter 5 trains this model again on new data, so this cell is marked `// @save` too
// (`LstmNotebooks.Chapters.Chapter04.Sequence` in the library).

// ── cell 15 ──

// ## L-BFGS and its closure
//
// Adam and SGD take one gradient and move. **L-BFGS** is a quasi-Newton method: it remembers the last gradients and
// steps to estimate the curvature of the loss and chooses a direction from that. TorchSharp's L-BFGS has no line search:
// one step runs up to `max_iter` inner iterations, each moving along a new direction by a fixed multiple of it — the
// learning rate — with no search for a better length, and then evaluating the loss and its gradient again: *several
// evaluations within one step*. So `step` cannot take a loss computed beforehand; it takes a **closure**, a function it
// can call as often as it needs, that
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
// One *step* of L-BFGS runs up to `max_iter` (20 by default) such evaluations. That makes each step expensive; L-BFGS
// is meant for few steps on a smooth, full-batch problem like this one — no learning-rate schedule, no mini-batches.
//
// **Backpropagation through time.** Each evaluation's `backward()` runs back through all 999 time steps the two cells
// were unrolled for — *backpropagation through time*. Through that many steps a gradient is a product of many factors
// and can shrink towards zero or grow without bound; the LSTM's cell state, updated by addition rather than by a
// multiplication through a weight matrix at every step, is designed to carry gradients further than a plain recurrent
// network does. When gradients do explode, the usual remedy is to clip them: TorchSharp's
// `torch.nn.utils.clip_grad_norm_(model.parameters(), maxNorm)` rescales all the gradients together so that their
// norm is at most `maxNorm` (and returns the norm they had). It goes after `backward()` — with L-BFGS, inside the
// closure, because L-BFGS reads the gradients from the parameters after each call. This chapter does not clip.
//
// After each step we measure two losses without gradients: on the training waves, and on the validation waves — the
// mean squared error of their one-step predictions over the known points. We also forecast the validation waves
// `future` steps past their end, and keep a copy of the weights from the step with the lowest validation loss. The
// test waves wait until the end. (Creating the optimizer makes libtorch print a warning, "Optimizer::parameters() will
// be removed", about an internal call TorchSharp's L-BFGS makes; it is harmless.)

// ── cell 17 ──
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

// ── cell 18 ──
manual_seed(seed);
var model = new Sequence(hiddenSize);
var optimizer = optim.LBFGS(model.parameters(), lr: learningRate);
var mse = nn.MSELoss();
var trainLosses = new List<double>();
var validationLosses = new List<double>();
var evaluationsPerStep = new List<int>();            // how often L-BFGS called the closure in each step
var forecasts = new List<(string Label, float[][] Forecasts)>();   // the validation waves', after each step
Dictionary<string, Tensor> bestState = null;
var (bestStep, bestValidationLoss) = (0, double.PositiveInfinity);
var progress = display("training…");
for (var step = 1; step <= steps; step++)
{
    using var scope = NewDisposeScope();
    var evaluations = LbfgsStep(optimizer, () => mse.call(model.call(trainInput, 0), trainTarget));
    evaluationsPerStep.Add(evaluations);

    using (no_grad())
    {
        trainLosses.Add(mse.call(model.call(trainInput, 0), trainTarget).item<float>());
        var prediction = model.call(validationInput, future);           // (validation waves, L − 1 + future)
        var known = prediction[.., ..(int)validationTarget.shape[1]];   // the one-step predictions
        validationLosses.Add(mse.call(known, validationTarget).item<float>());
        forecasts.Add(($"step {step}", Enumerable.Range(0, validationWaves).Select(w => prediction[w].data<float>().ToArray()).ToArray()));
        if (validationLosses[^1] < bestValidationLoss)   // false for NaN: a step that blew up is never kept
        {
            bestState?.Values.ToList().ForEach(t => t.Dispose());
            bestState = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
            (bestStep, bestValidationLoss) = (step, validationLosses[^1]);
        }
    }
    progress.Update($"step {step}/{steps}: {evaluations} closure evaluations, train loss {trainLosses[^1]:G4}, validation loss {validationLosses[^1]:G4}");
}
Console.WriteLine($"closure evaluations per step: {string.Join(", ", evaluationsPerStep)} ({evaluationsPerStep.Sum()} forward and backward passes in all)");

// ── cell 19 ──
display(CourseCharts.Figure("Loss after each L-BFGS step", "step", "MSE (log scale)", new[]
{
    CourseCharts.Line(Enumerable.Range(1, steps), trainLosses, "train loss", CourseCharts.Colours.Train, markers: true),
    CourseCharts.Line(Enumerable.Range(1, steps), validationLosses, "validation loss", CourseCharts.Colours.Test, markers: true),
}, logY: true));

// Every step's forecasts of the validation waves, on one chart: move the slider to go through the steps. Solid lines
// are the model's one-step-ahead predictions over the known 999 points; dotted lines are the free-running forecast
// beyond them.

// ── cell 21 ──
display(CourseCharts.ForecastSteps($"Forecasts of the {validationWaves} validation waves", forecasts, knownLength: (int)validationInput.shape[1]));

// ## Error accumulation
//
// Over the known range each prediction starts from a true value, so one step's error is all there is. In the dotted
// range the model reads its own previous prediction: a small error becomes the next input, the next prediction inherits
// it, and errors compound — a forecast can flatten, or drift in phase or frequency, and the slider shows how far each
// step's forecast keeps the wave's shape. A free-running forecast is the hardest test of a sequence model.
//
// ## The chosen step, and the test waves
//
// L-BFGS takes large steps, and nothing makes the validation loss fall at every one. We kept the weights of the step
// with the lowest validation loss; going back to them is just copying them into the model. Only then do the test
// waves go through the model — once, for the step the validation waves chose. Nothing was chosen with them, so their
// loss is not flattered by a choice; it is the number to report (measured, as the shifts showed, on the curve the
// model trained on).

// ── cell 23 ──
if (bestState is null) throw new InvalidOperationException("no step gave a finite validation loss: lower learningRate (see below)");
using (no_grad())
{
    foreach (var (name, parameter) in model.state_dict()) parameter.copy_(bestState[name]);
}
double restoredValidationLoss, testLoss;
Tensor testPrediction;
using (no_grad())
{
    restoredValidationLoss = mse.call(model.call(validationInput, 0), validationTarget).item<float>();
    testPrediction = model.call(testInput, future);                            // (test waves, L − 1 + future)
    testLoss = mse.call(testPrediction[.., ..(int)testTarget.shape[1]], testTarget).item<float>();
}
Console.WriteLine($"step {bestStep} had the lowest validation loss, {bestValidationLoss:G4}; restored, the model's validation loss is {restoredValidationLoss:G4}");
Console.WriteLine($"test loss of the restored model, computed once: {testLoss:G4}");
display($"forecast tensor: {Shape(testPrediction)}  (test waves, L − 1 + future)");

// ── cell 24 ──
var testForecasts = Enumerable.Range(0, testWaves).Select(w => testPrediction[w].data<float>().ToArray()).ToArray();
display(CourseCharts.ForecastSteps($"Forecasts of the {testWaves} test waves, step {bestStep} restored",
    new[] { ($"step {bestStep}", testForecasts) }, knownLength: (int)testInput.shape[1]));

// **When it won't converge.** L-BFGS is sensitive to the step size: if the loss jumps to `NaN` or explodes, lower
// `learningRate` (0.8 in PyTorch's example is for float64; 0.08 is safer in float32), or cap the iterations per step
// (`max_iter`). Check that inputs and targets are shifted by exactly one step. Scale the data to about unit size —
// L-BFGS uses curvature, and badly scaled data makes it poor. And if a step makes the validation loss worse, go back to
// the step it chose, as above, rather than training on.
//
// ## Summary
//
// - `N` waves of `L` points give inputs and targets of shape `(waves, L − 1)`: here 94 training, 3 validation and 3
//   test waves, each with its own shift. Shifted sines are one curve, so on the known points a held-out wave measures
//   the model on the curve it trained on; what training never shows the model is its own forecasts.
// - Writing the loop over time with `LSTMCell`s lets the model run past the data: each prediction is fed back in.
// - L-BFGS needs a closure because one step evaluates the loss many times; the closure zeroes gradients, runs forward,
//   computes the loss, backpropagates and returns it. The backward pass runs through every unrolled step.
// - Free-running forecasts accumulate error. Choose the step to keep with the validation waves, restore it, and
//   measure the test waves once, at the end.
//
// **Next:** [Chapter 5 — Building the model from the data's shape](05-automated-shape-inference.ipynb) wraps this
// recipe so that new data of any size gets the right tensors and model without hand-sizing anything.

// ── the notebook's type declarations (a C# program declares its types after its statements) ──

// @save
/// <summary>Waves, one per row: Values[wave, point]; with the period and each wave's shift.</summary>
record WaveSet(float[,] Values, int Period, int[] Shifts)
{
    public int Count => Values.GetLength(0);
    public int Length => Values.GetLength(1);
    public float[] Wave(int index) => Enumerable.Range(0, Length).Select(t => Values[index, t]).ToArray();
}

// @save
class Sequence : nn.Module<Tensor, int, Tensor>
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
