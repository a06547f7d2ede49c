// 05-automated-shape-inference: generated from notebooks/05-automated-shape-inference.ipynb by NotebookRunner (--export-apps); do not edit.
// Run it with: dotnet run apps/05-automated-shape-inference.cs [--parameter value ...] [--out DIR]
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
using static TorchSharp.torch;
using LstmNotebooks.Charts;
using LstmNotebooks.Data;
using LstmNotebooks.Runtime;
using static LstmNotebooks.Chapters.Chapter03;
using static LstmNotebooks.Chapters.Chapter04;

var app = NotebookApp.AppHost.Start("05-automated-shape-inference", args);   // runs in this file's folder, as the notebook runs in its own

// # Chapter 5 — Building the model from the data's shape
//
// In chapter 4 we sized everything by hand: 97 training waves, inputs of 999 points, a forecast of 1000 steps. Those
// numbers were facts about *that* data set. In this chapter we write a small **builder** that reads the shape of
// new data and derives the rest — the split, the input and target tensors, the model, the forecast length — and
// apply it to two data sets it has never seen, one of them the minutes from chapter 1.
//
// **What you will learn**
//
// - to derive tensors and a model from `(N, L)` instead of hard-coding sizes;
// - to validate data before training (too few series, too few points, NaN or infinity) with clear errors;
// - that the same recipe fits a new wave of unknown size and a very different, short series;
// - why a forecast beyond the data bends like a logarithm — the problem chapter 6's transforms address.

// ## Set-up
//
// Chapter 4's two-cell model, `Sequence`, and its L-BFGS step, `LbfgsStep`, come from the helper library (and chapter
// 3's `Shape`): it compiles chapter 4's cells marked `// @save` exactly as they are written there (`using static
// LstmNotebooks.Chapters.Chapter04` brings them in), so this chapter runs the code you read in chapter 4 — a test regenerates the library's file from those
// cells and fails if the two differ.

// ── cell 3 ──
display(TorchRuntime.EnsureAvailable().ToString());

// ## Parameters
//
// The new waves' size is *drawn at random* within the ranges below, so the notebook cannot know it in advance.

// ── cell 5 (parameters) ──
var dataSeed = 11;                                  // draws the new data's N, L and T, and its waves
var minWaves = 50;                                  // N is drawn from [minWaves, maxWaves)
var maxWaves = 200;
var minLength = 800;                                // L is drawn from [minLength, maxLength)
var maxLength = 1200;
var trainProportion = 0.95;
var hiddenSize = 64;
var learningRate = 0.08;
var steps = 10;                                     // L-BFGS steps for each data set
var seasons = 100;                                  // simulated seasons of minutes
var gamesPerSeason = 11;
var minutesSeed = 5;
var seed = 3;                                       // weight initialisation
// Any of the parameters above can be given on the command line, e.g. --dataSeed value:
dataSeed = app.Get("dataSeed", dataSeed);
minWaves = app.Get("minWaves", minWaves);
maxWaves = app.Get("maxWaves", maxWaves);
minLength = app.Get("minLength", minLength);
maxLength = app.Get("maxLength", maxLength);
trainProportion = app.Get("trainProportion", trainProportion);
hiddenSize = app.Get("hiddenSize", hiddenSize);
learningRate = app.Get("learningRate", learningRate);
steps = app.Get("steps", steps);
seasons = app.Get("seasons", seasons);
gamesPerSeason = app.Get("gamesPerSeason", gamesPerSeason);
minutesSeed = app.Get("minutesSeed", minutesSeed);
seed = app.Get("seed", seed);
app.Check();

// ## New data of unknown shape
//
// $N$ waves of $L$ points of a different curve, $y = \cos\!\big(\sin(x/T)^2\big)$ — always positive, with a
// flattened top — where $N$, $L$ and the period $T$ are drawn at random.

// ── cell 7 ──
var drawn = CosSinWaves.Draw(dataSeed, minWaves, maxWaves, minLength, maxLength);
var (drawnSeries, drawnLength) = (drawn.Count, drawn.Length);
Console.WriteLine($"drawn: {drawnSeries} waves × {drawnLength} points, T = {drawn.Period}");
var exampleWave = drawn.Wave(0);
display(CourseCharts.Figure("One of the new waves: cos(sin(x/T)²)", "x (time step)", "y",
    CourseCharts.Line(Enumerable.Range(0, exampleWave.Length), exampleWave, "wave 0", CourseCharts.Colours.Data)));

// ## The builder
//
// Everything chapter 4 sized by hand follows from the data matrix's shape $(N, L)$:
//
// - **the split**: $N_{train} = \lfloor N \cdot p \rfloor$ waves train, the first $N - N_{train}$ test (at least one of each);
// - **inputs and targets**: points $0 \dots L-2$ and $1 \dots L-1$ of each wave;
// - **the forecast length**: as long again as the data, $L$;
// - **the model**: `Sequence(hidden)` takes one value per step, whatever $L$ is.
//
// It also refuses data it cannot use, with a message that says why: fewer than 2 series (nothing to test on),
// fewer than 2 points (no target), or a value that is not a finite number (one NaN poisons every gradient).

// ── cell 9 ──
Problem Build(float[,] data, double trainProportion)
{
    var (n, l) = (data.GetLength(0), data.GetLength(1));
    if (n < 2) throw new ArgumentException($"the data has {n} series; at least 2 are needed (one to train on, one to test)");
    if (l < 2) throw new ArgumentException($"the series have {l} point(s); at least 2 are needed (an input and a target)");
    foreach (var value in data)
        if (!float.IsFinite(value)) throw new ArgumentException($"the data holds {value}; every value must be a finite number");

    var trainCount = Math.Clamp((int)(n * trainProportion), 1, n - 1);
    var testCount = n - trainCount;
    var all = tensor(data);                                            // (N, L)
    return new Problem(n, l, trainCount, testCount, Future: l,
        TrainInput: all[testCount.., ..^1], TrainTarget: all[testCount.., 1..],
        TestInput: all[..testCount, ..^1], TestTarget: all[..testCount, 1..]);
}
void Describe(Problem p) =>
    Console.WriteLine($"N = {p.N}, L = {p.L}: {p.TrainCount} train / {p.TestCount} test series, inputs {Shape(p.TrainInput)} and {Shape(p.TestInput)}, forecast {p.Future} steps");
var waves = Build(drawn.Values, trainProportion);
var (inferredSeries, inferredLength) = (waves.N, waves.L);
Describe(waves);

// A quick check that the guards work — data with a single series is refused before any training starts:

// ── cell 11 ──
try { Build(new float[1, 50], trainProportion); }
catch (ArgumentException e) { Console.WriteLine($"refused: {e.Message}"); }

// ## Training on the new waves
//
// The same recipe as chapter 4: `Sequence` and `LbfgsStep`, one line of losses per step, and the step with the lowest test
// loss remembered. Nothing below mentions a size.

// ── cell 13 ──
(List<StepLosses> Steps, float[][] FirstForecast, float[][] LastForecast, int BestStep) Fit(Problem p, string name)
{
    manual_seed(seed);
    var model = new Sequence(hiddenSize);
    var optimizer = optim.LBFGS(model.parameters(), lr: learningRate);
    var mse = nn.MSELoss();
    float[][] Forecast()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var prediction = model.forward(p.TestInput, future: p.Future);
        return Enumerable.Range(0, Math.Min(3, p.TestCount)).Select(i => prediction[i].data<float>().ToArray()).ToArray();
    }

    var losses = new List<StepLosses>();
    float[][] first = null;
    var progress = display($"{name}: training…");
    for (var step = 1; step <= steps; step++)
    {
        using var scope = NewDisposeScope();
        var evaluations = LbfgsStep(optimizer, () => mse.call(model.forward(p.TrainInput), p.TrainTarget));
        using (no_grad())
        {
            losses.Add(new StepLosses(step, mse.call(model.forward(p.TrainInput), p.TrainTarget).item<float>(),
                mse.call(model.forward(p.TestInput), p.TestTarget).item<float>(), evaluations));
        }
        if (step == 1) first = Forecast();
        progress.Update($"{name}: {losses[^1]}");
    }
    return (losses, first, Forecast(), losses.MinBy(s => s.TestLoss).Step);
}
var waveFit = Fit(waves, "cos-sin waves");
var waveTestLosses = waveFit.Steps.Select(s => s.TestLoss).ToArray();
Console.WriteLine($"test loss {waveTestLosses[0]:G4} after step 1 → {waveTestLosses[^1]:G4} after step {steps}; best step {waveFit.BestStep}");
display(CourseCharts.ForecastSteps("New waves: forecasts of 3 test waves", new[] { ("step 1", waveFit.FirstForecast), ($"step {steps}", waveFit.LastForecast) },
    knownLength: waves.L - 1));

// The builder handled data whose size it learned only at run time, and the model learns the new shape as it learned
// the sine.
//
// ## The minutes again, as many seasons
//
// Chapter 1 fitted one injured player's 11 games as a function of the game number. Now we simulate 100 seasons of
// 11 games, $\text{minutes} = 1.6 \cdot \text{game} + 4 + \varepsilon$ with one $\varepsilon \sim \mathcal{N}(10, 1)$
// per season — each season starts at its own level — and hand the matrix to the same builder: 95 seasons train,
// 5 test, inputs of 10 games, a forecast of 11 more.

// ── cell 15 ──
var seasonsOfMinutes = MinutesData.Seasons(seasons, gamesPerSeason, minutesSeed);   // (seasons, games)
var minutes = Build(seasonsOfMinutes, trainProportion);
Describe(minutes);
var minutesFit = Fit(minutes, "minutes");
var minutesTrainLosses = minutesFit.Steps.Select(s => s.TrainLoss).ToArray();
foreach (var s in minutesFit.Steps) Console.WriteLine(s);

// ── cell 16 ──
display(CourseCharts.ForecastSteps("Minutes: 3 test seasons and 11 more games", new[] { ("step 1", minutesFit.FirstForecast), ($"step {steps}", minutesFit.LastForecast) },
    knownLength: minutes.L - 1, xTitle: "game", yTitle: "minutes"));

// The loss falls from a few minutes² after the first step to a small fraction of a minute² after ten (the article
// this course started from reports about 7.3 falling to about 0.06). The model now reads a season's level from its
// first games and continues its trend game by game — which chapter 1's function of the game number could not do.
//
// **Why does the forecast bend like a logarithm?** Beyond game 10 the model feeds on its own predictions, and those
// inputs soon exceed anything it saw in training (no season reached 40 minutes). The LSTM's gates and its
// $\tanh$ activations saturate for large inputs, so each extra step adds less than the last: the forecast flattens, as
// chapter 1's `tanh` network did. A model only interpolates confidently inside the range of its training data; to
// extrapolate a trend, give it the trend explicitly — predict the *change* from game to game, or scale the data so
// that the future stays in range.
//
// ## Beyond this course
//
// Chapter 6 takes up what this chapter's forecasts need next — scaling, logs and differencing, a validation block
// with early stopping, several seeds — and sets the LSTM against the simplest forecasts. Beyond it:
//
// - **Multivariate inputs**: more than one feature per time step — `inputSize` > 1, windows of shape
//   `(windows, lookback, features)` — such as several related series or calendar features.
// - **Regularisation**: weight decay, and **dropout** between stacked LSTM layers
//   (`nn.LSTM(…, numLayers: 2, dropout: 0.2)`) against overfitting.
// - Sequence models beyond the LSTM: GRUs, temporal convolutions and attention.
//
// ## Summary
//
// - A builder reads $(N, L)$ and derives the split, the tensors, the model and the forecast length; it validates the
//   data first and says what is wrong.
// - The same recipe fits new waves of a random size and a short series of minutes.
// - Forecasts beyond the data saturate — the logarithm-like bend — because the model extrapolates outside its
//   training range.
//
// **Next:** [Chapter 6 — Does the LSTM beat the simplest forecast?](06-baselines-and-transforms.ipynb) goes back to the
// airline passengers with benchmark forecasts, scaling, logs and differencing, early stopping and several seeds.

// ── the notebook's type declarations (a C# program declares its types after its statements) ──

record Problem(int N, int L, int TrainCount, int TestCount, int Future,
               Tensor TrainInput, Tensor TrainTarget, Tensor TestInput, Tensor TestTarget);

record StepLosses(int Step, double TrainLoss, double TestLoss, int Evaluations)
{
    public override string ToString() => $"step {Step}: train loss {TrainLoss:G4}, test loss {TestLoss:G4}, {Evaluations} evaluations";
}
