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
using LstmNotebooks.Exercises;
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
// - to set the model against forecasts that need no training — the last value, the last change and the last period
//   repeated — one step ahead and free-running, with the period estimated from the training waves;
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

// ## Against forecasts that need no training
//
// Is that test loss good? A number means little until it is set against what a forecast that needs no training
// achieves on the same points — chapter 6 makes this its subject. The model did two tasks, so there are two
// comparisons, each with simple **benchmark** forecasts:
//
// - **one step ahead**, over the known points — the test loss's task. Each point is forecast from the points before
//   it, by repeating **the last value** (chapter 3's persistence) or **the last change**: the last value plus the last
//   step's rise, a straight line through the last two points, which on a smooth curve lands near the next one;
// - **free-running**, over the `future` points after the last point the model read: those two, and repeating **the
//   last period** — the *seasonal naive*: a series that repeats every $P$ points is forecast by its last $P$ known
//   points, again and again.
//
// The period of $\sin(x/T)$ is $2\pi T$ points — not a whole number — and a series whose formula we do not know, like
// chapter 5's, does not tell us its period at all. So we estimate it from the training waves, with their
// **autocorrelation**, how well a series matches itself $k$ points later:
// $r_k = \frac{\frac{1}{n-k}\sum_{t=k}^{n-1} (x_t - \bar x)(x_{t-k} - \bar x)}{\frac{1}{n}\sum_{t=0}^{n-1} (x_t - \bar x)^2}$,
// close to 1 when the series shifted by $k$ points lies on itself. That happens at the period and again at each
// multiple of it — and a multiple that comes closer to a whole number of points matches even better — while a smooth
// curve nearly matches itself one point on, so $r_1$ is close to 1 too. So the period is not simply the lag of the
// highest autocorrelation: it is the first **peak** after $r_k$ has dipped below zero (half a period on, a sine is its
// own negative) — the first lag at which $r_k$ is positive and higher than at the next lag. The search stops at half the
// waves' length, so that every lag compares at least half the points; waves shorter than two periods show no period,
// and then there is no seasonal naive. Chapter 5 makes the same comparison, so these cells are marked `// @save`.

// ── cell 26 ──
// @save
/// <summary>
/// The autocorrelation of a series at a lag: the mean of (x[t] − x̄)(x[t − lag] − x̄) over the pairs lag points apart,
/// divided by the variance. Close to 1 when the series, shifted by lag points, lies on itself.
/// </summary>
double Autocorrelation(float[] series, int lag)
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
int? EstimatePeriod(IReadOnlyList<float[]> series)
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

// ── cell 27 ──
// @save
/// <summary>Forecasts that need no training: the count points after the known ones, from the known ones alone.</summary>
float[] RepeatLastValue(float[] known, int count) => Enumerable.Repeat(known[^1], count).ToArray();
/// <summary>The last value plus h times the last change, h = 1 … count: the straight line through the last two points
/// (with a single point known, there is no change).</summary>
float[] RepeatLastChange(float[] known, int count)
{
    var change = known.Length > 1 ? known[^1] - known[^2] : 0;
    return Enumerable.Range(1, count).Select(h => known[^1] + h * change).ToArray();
}
/// <summary>The seasonal naive: the last period known points, repeated.</summary>
float[] RepeatLastPeriod(float[] known, int period, int count) =>
    Enumerable.Range(0, count).Select(h => known[known.Length - period + h % period]).ToArray();
/// <summary>The mean squared error over every point of every series.</summary>
double Mse(IEnumerable<float[]> forecasts, IEnumerable<float[]> truths) =>
    forecasts.Zip(truths, (f, y) => f.Length == y.Length ? f.Zip(y, (a, b) => ((double)a - b) * ((double)a - b))
                                                         : throw new ArgumentException($"a forecast of {f.Length} points against {y.Length} true ones"))
        .SelectMany(errors => errors).Average();

// `CompareWithBenchmarks` scores them on the points the model is scored on. The model read points $0 \dots L-2$ of each
// test wave — its input — so the benchmarks read those too; its outputs from column $L-2$ on are its forecasts of
// points $L-1, L, \dots$ (column $j$ predicts point $j+1$), the first from its last true input, the rest fed back. One
// step ahead, its MSE is the test loss above; the last period is left out there, since the first points have no period
// before them. Each task's line ends with a verdict computed from the numbers: whether the LSTM beats the **strongest**
// benchmark, the one with the lowest MSE on those points — the hardest to beat.

// ── cell 29 ──
/// <summary>
/// The LSTM against the benchmarks, on series of which the model read points 0 … read − 1 and whose next horizon points
/// are the truth. One step ahead, points 1 … read: each benchmark forecasts each point from the points before it; the
/// LSTM's MSE is its test loss. Free-running, points read … read + horizon − 1, all from points 0 … read − 1; the LSTM's
/// forecasts are the columns read − 1 … of its outputs (column j predicts point j + 1).
/// </summary>
BenchmarkComparison[] CompareWithBenchmarks(float[][] series, int read, int horizon, int? period, double lstmTestLoss, float[][] lstmOutputs)
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

// ── cell 30 ──
var trainingWaves = Enumerable.Range(testWaves + validationWaves, waveCount - testWaves - validationWaves).Select(waves.Wave).ToArray();
var estimatedPeriod = EstimatePeriod(trainingWaves);
Console.WriteLine(estimatedPeriod is null
    ? $"the {trainingWaves.Length} training waves show no period within half their {length} points (2πT = {2 * Math.PI * period:F2})"
    : $"period estimated from the {trainingWaves.Length} training waves: {estimatedPeriod} points (2πT = {2 * Math.PI * period:F2})");
var read = (int)testInput.shape[1];                                              // the model read points 0 … L − 2 of each test wave
var longer = ShiftedWaves(waveCount, length + future, period, seed, Math.Sin);    // the same call, future points longer: the same shifts
var testSeries = Enumerable.Range(0, testWaves).Select(longer.Wave).ToArray();     // each test wave, and the truth past its end
Console.WriteLine($"the longer test waves start with the data's {length} points: {Enumerable.Range(0, testWaves).All(w => testSeries[w][..length].SequenceEqual(waves.Wave(w)))}");
var comparisons = CompareWithBenchmarks(testSeries, read, future, estimatedPeriod, testLoss, testForecasts);
foreach (var comparison in comparisons) Console.WriteLine(comparison);

// ── cell 31 ──
var pointsAhead = Enumerable.Range(read, future).ToArray();
var aheadTraces = new List<PlotlyTrace>
{
    CourseCharts.Line(pointsAhead, testSeries[0][read..(read + future)], "the wave", CourseCharts.Colours.Data),
    CourseCharts.Line(pointsAhead, testForecasts[0][(read - 1)..(read - 1 + future)], "the LSTM's forecast", CourseCharts.Colours.Test, dotted: true),
};
if (estimatedPeriod is int repeatedPoints)
    aheadTraces.Add(CourseCharts.Line(pointsAhead, RepeatLastPeriod(testSeries[0][..read], repeatedPoints, future),
        $"repeating the last period of {repeatedPoints} points", CourseCharts.Colours.Train, dotted: true));
display(CourseCharts.Figure("Test wave 0 past the points the model read", "x (time step)", "y", aheadTraces));

// The verdicts above are computed from the numbers; nothing in them was written before the run. What they mean,
// whichever way they went:
//
// - **One step ahead**, every forecast starts from true values, and a sine bends only a little from one point to the
//   next, so the last change makes only a small error: to beat it, the model must have learned how the curve bends,
//   not just to stay near the last point.
// - **Free-running**, the last value stays flat and the last change runs off along its straight line. The last period,
//   when the training waves show one, repeats the wave's own shape; its error comes from its whole number of points:
//   $2\pi T$ is not whole, so each repetition slips by the difference, and the slips add up over the horizon
//   (exercise 4.4 removes them). The chart shows the first test wave past the data, with the LSTM's forecast and, if
//   there is one, the last period repeated.
// - A model that does not beat a forecast made of the series' own past has learned nothing the past did not already
//   give. Report the benchmark beside the model, whatever the verdict.

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
// - A forecast is worth what it beats: one step ahead and free-running, set it against forecasts that need no
//   training on the same points — the last value, the last change, the last period, its length estimated from the
//   training waves' autocorrelation — and say whether it beats the strongest.

// ## Exercises
//
// Each exercise has a cell for your answer and a check cell after it: run both, and the check says whether your answer
// holds or which condition does not, yet. Worked solutions are in [solutions/04-sine-wave-lstmcell-lbfgs.md](../solutions/04-sine-wave-lstmcell-lbfgs.md)
// — try first.
//
// ### Exercise 4.1 — Clip the gradients inside the closure
//
// The section on backpropagation through time said where gradient clipping goes with L-BFGS: inside the closure, after
// `backward()`, because L-BFGS reads the gradients from the parameters after each call. Write `LbfgsStepClipped`:
// `LbfgsStep` with `torch.nn.utils.clip_grad_norm_(model.parameters(), maxNorm)` in that place. The first attempt below
// only calls `LbfgsStep`. The check steps a small model on four short waves.

// ── cell 35 ──
// Exercise 4.1: your answer. LbfgsStep, with the gradients of the model's parameters clipped to the norm maxNorm after each backward().
int LbfgsStepClipped(LBFGS optimizer, nn.Module model, Func<Tensor> computeLoss, double maxNorm) =>
    LbfgsStep(optimizer, computeLoss);                  // a first attempt: no clipping yet

// ── cell 36 ──
var shortWaves = tensor(ShiftedWaves(4, 31, 5, 1, Math.Sin).Values);     // four waves of 31 points: a step takes a moment
var (shortInput, shortTarget) = (shortWaves[.., ..^1], shortWaves[.., 1..]);
(Sequence Net, int Evaluations) StepFromSeed(Func<LBFGS, Sequence, int> step)
{
    manual_seed(1);
    var net = new Sequence(8);
    var lbfgs = optim.LBFGS(net.parameters(), lr: 0.08);
    using var stepScope = NewDisposeScope();
    return (net, step(lbfgs, net));
}
(Sequence Net, int Evaluations) ClippedStep(double maxNorm) =>
    StepFromSeed((lbfgs, net) => LbfgsStepClipped(lbfgs, net, () => mse.call(net.call(shortInput, 0), shortTarget), maxNorm));
double GradientNorm(Sequence net) => Math.Sqrt(net.parameters().Sum(q => q.grad.pow(2).sum().item<float>()));
display(Exercise.Check("4.1",
    ("it returns how many times L-BFGS called the closure, from 1 to 25", () => ClippedStep(1e-3).Evaluations is >= 1 and <= 25),
    ("after a step with maxNorm = 0.001, the gradients L-BFGS read last have a norm of at most 0.001",
        () => GradientNorm(ClippedStep(1e-3).Net) <= 1e-3 * (1 + 1e-4)),
    ("with a maxNorm far above the gradients' norm, the step moves the weights as LbfgsStep does",
        () => ClippedStep(1e9).Net.parameters()
            .Zip(StepFromSeed((lbfgs, net) => LbfgsStep(lbfgs, () => mse.call(net.call(shortInput, 0), shortTarget))).Net.parameters(),
                 (a, b) => a.allclose(b, rtol: 1e-4, atol: 1e-6))
            .All(same => same))));

// ### Exercise 4.2 — Float64, as PyTorch's example
//
// PyTorch's example trains in double precision, float64, with learning rate 0.8. In TorchSharp `model.to(float64)`
// converts the weights, but `Sequence` makes its zero states with `zeros(batch, hidden)`, in the default type, float32,
// whatever the input — and a float32 state beside float64 weights is refused (the check shows the error). Write
// `TypedSequence`: `Sequence` whose zero states take the input's type (`zeros` takes a `dtype:`, and a tensor's type is
// its `dtype`). The cell starts from a copy of `Sequence`, its loop written once for the data and the forecast.

// ── cell 38 ──

// ── cell 39 ──
var (shortInput64, shortTarget64) = (shortInput.to(float64), shortTarget.to(float64));
display(Exercise.Check("4.2",
    ("in float32 it maps four waves of 30 points and future = 5 to float32 predictions of shape (4, 35)", () =>
    {
        var forecast = new TypedSequence(8).call(shortInput, 5);
        return forecast.dtype == float32 && forecast.shape.SequenceEqual(new long[] { 4, 35 });
    }),
    ("converted with .to(float64), it forecasts float64 waves in float64", () => new TypedSequence(8).to(float64).call(shortInput64, 5).dtype == float64),
    ("one L-BFGS step in float64 at PyTorch's learning rate 0.8 lowers the loss on the four waves", () =>
    {
        manual_seed(1);
        var net = new TypedSequence(8).to(float64);
        var lbfgs = optim.LBFGS(net.parameters(), lr: 0.8);
        double Loss() { using var noGrad = no_grad(); return mse.call(net.call(shortInput64, 0), shortTarget64).item<double>(); }
        var before = Loss();
        using (NewDisposeScope()) LbfgsStep(lbfgs, () => mse.call(net.call(shortInput64, 0), shortTarget64));
        return Loss() < before;                                           // false for NaN too
    })));

// ### Exercise 4.3 — Two GRU cells in place of the LSTM cells
//
// A GRU cell has two gates where the LSTM cell has three, and no cell state: `GRUCell.call(x, h)` returns the new hidden
// state alone. Write `GruSequence`: `Sequence` with two `nn.GRUCell`s stepped by hand, the second reading the first's
// hidden state, and the same `Linear` layer, the same `future` loop. (TorchSharp's `GRUCell` also accepts `null` for
// `h` and starts from zeros; zero states of your own, as in `Sequence`, work as well.)

// ── cell 41 ──

// ── cell 42 ──
long WeightCount(nn.Module net) => net.parameters().Sum(q => q.numel());
display(Exercise.Check("4.3",
    ("it holds two GRUCells and no LSTMCell", () => new GruSequence(8).modules() is var parts && parts.Count(m => m is GRUCell) == 2 && !parts.Any(m => m is LSTMCell)),
    ("it maps four waves of 30 points and future = 5 to predictions of shape (4, 35)",
        () => new GruSequence(8).call(shortInput, 5).shape.SequenceEqual(new long[] { 4, 35 })),
    ("its first 30 predictions are the same with a forecast after them and without", () =>
    {
        var net = new GruSequence(8);
        return net.call(shortInput, 5)[.., ..30].allclose(net.call(shortInput, 0));
    }),
    ("its weights are two GRU cells', 3h(1 + h + 2) and 3h(h + h + 2), and a Linear layer's, h + 1",
        () => WeightCount(new GruSequence(8)) == 3 * 8 * (1 + 8 + 2) + 3 * 8 * (8 + 8 + 2) + 8 + 1),
    ("it has fewer weights than Sequence of the same size", () => WeightCount(new GruSequence(8)) < WeightCount(new Sequence(8)))));

// ### Exercise 4.4 — A seasonal naive for a period that is not whole
//
// `RepeatLastPeriod` repeats a whole number of points, but the period of $\sin(x/T)$ is $2\pi T$: with the period
// rounded, each repetition slips by the rounding, and over a long horizon the slips add up. Write `RepeatLastCycle`,
// the seasonal naive for a period that need not be whole. With the known points $0 \dots n-1$, its forecast of point
// $n + h$ ($h = 0, 1, \dots$) is the series at position $q = n + h - k \cdot \text{period}$, $k$ the smallest whole
// number that puts $q$ at or before $n - 1$; a $q$ between two points is interpolated linearly between them. The first
// attempt below rounds the period.

// ── cell 44 ──
// Exercise 4.4: your answer. Each point one or more periods back, interpolated between the two known points around it.
float[] RepeatLastCycle(float[] known, double period, int count) =>
    RepeatLastPeriod(known, (int)Math.Round(period), count);      // a first attempt: the period rounded

// ── cell 45 ──
var sineKnown = Enumerable.Range(0, 1000).Select(x => (float)Math.Sin(x / 20.0)).ToArray();    // sin(x/20): its period, 2π · 20, is not whole
var sineNext = Enumerable.Range(1000, 1000).Select(x => (float)Math.Sin(x / 20.0)).ToArray();
display(Exercise.Check("4.4",
    ("it forecasts count points", () => RepeatLastCycle(sineKnown, 2 * Math.PI * 20, 1000).Length == 1000),
    ("with a whole number of points as the period, it repeats the last period, as RepeatLastPeriod does",
        () => RepeatLastCycle(sineKnown, 126, 300).Zip(RepeatLastPeriod(sineKnown, 126, 300), (a, b) => Math.Abs(a - b)).Max() < 1e-6),
    ("on sin(x/20), with the period 2π · 20, its forecast of the next 1000 points has an MSE below 1e-6",
        () => Mse([RepeatLastCycle(sineKnown, 2 * Math.PI * 20, 1000)], [sineNext]) < 1e-6)));

// **Next:** [Chapter 5 — Building the model from the data's shape](05-automated-shape-inference.ipynb) wraps this
// recipe so that new data of any size gets the right tensors and model without hand-sizing anything, and compares its
// forecasts with this chapter's benchmarks.

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

// @save
/// <summary>One task's mean squared errors: the LSTM's and each benchmark's, on the same points. The strongest
/// benchmark is the one with the lowest, the hardest to beat.</summary>
record BenchmarkComparison(string Task, double Lstm, (string Name, double Mse)[] Benchmarks)
{
    public (string Name, double Mse) Strongest => Benchmarks.MinBy(b => b.Mse);
    public bool LstmBeatsStrongest => Lstm < Strongest.Mse;          // false for NaN: a forecast that blew up beats nothing
    public override string ToString() =>
        $"{Task}, MSE: the LSTM {Lstm:G4}; {string.Join("; ", Benchmarks.Select(b => $"{b.Name} {b.Mse:G4}"))}.\n" +
        $"  The LSTM {(LstmBeatsStrongest ? "beats" : "does NOT beat")} the strongest benchmark, {Strongest.Name} ({Lstm:G4} against {Strongest.Mse:G4}).";
}

// Exercise 4.2: your answer. Sequence, with zero states of the input's type.
class TypedSequence : nn.Module<Tensor, int, Tensor>
{
    private readonly LSTMCell lstm1, lstm2;
    private readonly Linear linear;
    private readonly int hidden;

    public TypedSequence(int hiddenSize) : base(nameof(TypedSequence))
    {
        hidden = hiddenSize;
        (lstm1, lstm2, linear) = (nn.LSTMCell(1, hiddenSize), nn.LSTMCell(hiddenSize, hiddenSize), nn.Linear(hiddenSize, 1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input, int future)
    {
        var batch = input.shape[0];
        var (h1, c1) = (zeros(batch, hidden), zeros(batch, hidden));
        var (h2, c2) = (zeros(batch, hidden), zeros(batch, hidden));
        var columns = input.split(1, dim: 1);                             // one column per time step: (batch, 1)
        var outputs = new List<Tensor>();
        for (var t = 0; t < columns.Length + future; t++)                  // the data's columns, then the last prediction
        {
            (h1, c1) = lstm1.call(t < columns.Length ? columns[t] : outputs[^1], (h1, c1));
            (h2, c2) = lstm2.call(h1, (h2, c2));
            outputs.Add(linear.call(h2));
        }
        return cat(outputs, dim: 1);                                      // (batch, time + future)
    }
}

// Exercise 4.3: your answer. Two GRUCells stepped by hand, as Sequence steps its LSTMCells, then a Linear layer.
class GruSequence : nn.Module<Tensor, int, Tensor>
{
    public GruSequence(int hiddenSize) : base(nameof(GruSequence)) => RegisterComponents();

    public override Tensor forward(Tensor input, int future) => throw new NotImplementedException("your answer");
}
