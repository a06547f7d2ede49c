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
using LstmNotebooks.Exercises;
using LstmNotebooks.Runtime;
using static LstmNotebooks.Chapters.Chapter01;
using static LstmNotebooks.Chapters.Chapter03;
using static LstmNotebooks.Chapters.Chapter04;

var app = NotebookApp.AppHost.Start("05-automated-shape-inference", args);   // runs in this file's folder, as the notebook runs in its own

// # Chapter 5 — Building the model from the data's shape
//
// In chapter 4 we sized everything by hand: 94 training, 3 validation and 3 test waves, inputs of 999 points, a
// forecast of 1000 steps. Those numbers were facts about *that* data set. In this chapter we write a small **builder**
// that reads the shape of new data and derives the rest — the split, the input and target tensors, the model, the
// forecast length — and apply it to two data sets it has never seen, one of them the minutes from chapter 1.
//
// **What you will learn**
//
// - to derive tensors and a model from `(N, L)` instead of hard-coding sizes;
// - to validate data before training (too few series, too few points, NaN or infinity) with clear errors;
// - to keep choosing on validation series and testing once, whatever the data's size;
// - that the same recipe fits a new wave of unknown size and a very different, short series;
// - to set each forecast against chapter 4's benchmarks, with the period estimated from the training series of data
//   whose formula the notebook does not know;
// - why a forecast that leaves the range of its training data can bend like a logarithm — the problem chapter 6's
//   transforms address.

// ## Set-up
//
// Chapter 4's two-cell model, `Sequence`, its L-BFGS step, `LbfgsStep`, its wave generator, `ShiftedWaves`, and its
// benchmarks, `EstimatePeriod` and `CompareWithBenchmarks`, come from the helper library, as do chapter 3's `Shape` and
// chapter 1's `MinutesData`: the library compiles those chapters' cells marked `// @save` exactly as they are written
// there (`using static LstmNotebooks.Chapters.Chapter04` brings chapter 4's in), so this chapter runs the code you read
// there — a test regenerates the library's files from those cells and fails if the two differ.

// ── cell 3 ──
display(TorchRuntime.EnsureAvailable().ToString());

// ## Parameters
//
// The new waves' size is *drawn at random* within the ranges below, so the notebook cannot know it in advance.

// ── cell 5 (parameters) ──
var dataSeed = 11;                                  // draws the new data's N, L and T, and its waves
var minWaves = 50;                                  // N is drawn from [minWaves, maxWaves), and is at most 8T
var maxWaves = 200;
var minLength = 800;                                // L is drawn from [minLength, maxLength)
var maxLength = 1200;
var validationProportion = 0.05;                    // of the series: choose the step to keep
var testProportion = 0.05;                          // of the series: measured once, at the end
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
validationProportion = app.Get("validationProportion", validationProportion);
testProportion = app.Get("testProportion", testProportion);
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
// flattened top — where $N$, $L$ and the period $T$ are drawn at random. $T$ is drawn first, because the waves get
// their shifts as chapter 4's sine waves did, each its own whole number in $[-4T, 4T)$: so $N$ is at most $8T$.

// ── cell 7 ──
/// <summary>The new curve, cos(sin(x)²): sin² repeats every π, and so does the curve.</summary>
double CosSin(double x) => Math.Cos(Math.Pow(Math.Sin(x), 2));
/// <summary>
/// Waves whose size the notebook cannot know in advance: from the seed, the period T in [minPeriod, maxPeriod), the
/// count N in [minCount, maxCount) but at most 8T, and the length L in [minLength, maxLength); y = cos(sin(x / T)²),
/// each wave with its own shift, as chapter 4's ShiftedWaves draws them.
/// </summary>
WaveSet DrawCosSinWaves(int seed, int minCount, int maxCount, int minLength, int maxLength, int minPeriod = 10, int maxPeriod = 30)
{
    if (minPeriod < 1 || maxPeriod <= minPeriod) throw new ArgumentException($"the period range [{minPeriod}, {maxPeriod}) is empty or below 1");
    if (minCount < 1 || maxCount <= minCount || minCount > 8 * minPeriod)
        throw new ArgumentException($"the wave count range [{minCount}, {maxCount}) is empty, below 1 or above 8 · {minPeriod}");
    if (minLength < 2 || maxLength <= minLength) throw new ArgumentException($"the length range [{minLength}, {maxLength}) is empty or below 2");
    var random = new Random(seed);
    var period = random.Next(minPeriod, maxPeriod);
    var count = random.Next(minCount, Math.Min(maxCount, 8 * period + 1));
    var length = random.Next(minLength, maxLength);
    return ShiftedWaves(count, length, period, seed + 1, CosSin);
}
var drawn = DrawCosSinWaves(dataSeed, minWaves, maxWaves, minLength, maxLength);
Console.WriteLine($"drawn: {drawn.Count} waves × {drawn.Length} points, T = {drawn.Period}, {drawn.Shifts.Distinct().Count()} different shifts");
var exampleWave = drawn.Wave(0);
display(CourseCharts.Figure("One of the new waves: cos(sin(x/T)²)", "x (time step)", "y",
    CourseCharts.Line(Enumerable.Range(0, exampleWave.Length), exampleWave, "wave 0", CourseCharts.Colours.Data)));

// ## The builder
//
// Everything chapter 4 sized by hand follows from the data matrix's shape $(N, L)$:
//
// - **the split**: the first $N_{test} = \max(1, \lfloor N \cdot p_{test} \rfloor)$ series test, the next
//   $N_{val} = \max(1, \lfloor N \cdot p_{val} \rfloor)$ validate, and the rest train — at least one of each;
// - **inputs and targets**: points $0 \dots L-2$ and $1 \dots L-1$ of each series;
// - **the forecast length**: as long again as the data, $L$;
// - **the model**: `Sequence(hidden)` takes one value per step, whatever $L$ is.
//
// It also refuses data it cannot use, with a message that says why: fewer than 3 series (one each to train, validate
// and test), proportions that leave nothing to train on, fewer than 2 points (no target), or a value that is not a
// finite number (one NaN poisons every gradient).

// ── cell 9 ──
Problem Build(float[,] data, double validationProportion, double testProportion)
{
    var (n, l) = (data.GetLength(0), data.GetLength(1));
    if (n < 3) throw new ArgumentException($"the data has {n} series; at least 3 are needed (one each to train, validate and test)");
    if (l < 2) throw new ArgumentException($"the series have {l} point(s); at least 2 are needed (an input and a target)");
    foreach (var value in data)
        if (!float.IsFinite(value)) throw new ArgumentException($"the data holds {value}; every value must be a finite number");

    var testCount = Math.Max(1, (int)(n * testProportion));
    var validationCount = Math.Max(1, (int)(n * validationProportion));
    var trainCount = n - testCount - validationCount;
    if (trainCount < 1) throw new ArgumentException($"{testCount} test and {validationCount} validation series leave none of the {n} to train on");
    var all = tensor(data);                                            // (N, L)
    var (test, validation, train) = (..testCount, testCount..(testCount + validationCount), (testCount + validationCount)..);
    return new Problem(n, l, trainCount, validationCount, testCount, Future: l,
        TrainInput: all[train, ..^1], TrainTarget: all[train, 1..],
        ValidationInput: all[validation, ..^1], ValidationTarget: all[validation, 1..],
        TestInput: all[test, ..^1], TestTarget: all[test, 1..]);
}
void Describe(Problem p) =>
    Console.WriteLine($"N = {p.N}, L = {p.L}: {p.TrainCount} train / {p.ValidationCount} validation / {p.TestCount} test series, " +
        $"inputs {Shape(p.TrainInput)}, {Shape(p.ValidationInput)} and {Shape(p.TestInput)}, forecast {p.Future} steps");
var waves = Build(drawn.Values, validationProportion, testProportion);
Describe(waves);

// A quick check that the guards work — data with two series is refused before any training starts:

// ── cell 11 ──
try { Build(new float[2, 50], validationProportion, testProportion); }
catch (ArgumentException e) { Console.WriteLine($"refused: {e.Message}"); }

// ## Training on the new waves
//
// The same recipe as chapter 4: `Sequence` and `LbfgsStep`, one line of losses per step, the step with the lowest
// validation loss kept and restored, and the test series measured once, with the restored model. Nothing below
// mentions a size.
//
// TorchSharp's L-BFGS moves by a fixed multiple — the learning rate — of each direction it computes, with no line search
// to shorten a move that goes too far, so a step can overshoot and the loss jump by orders of magnitude. The line after
// the steps says whether that happened here — whether the validation loss ended more than ten times above its lowest —
// and whichever way it went, the model measured on the test series and charted is the restored one.

// ── cell 13 ──
FitResult Fit(Problem p, string name)
{
    manual_seed(seed);
    var model = new Sequence(hiddenSize);
    var optimizer = optim.LBFGS(model.parameters(), lr: learningRate);
    var mse = nn.MSELoss();
    double Loss(Tensor input, Tensor target) { using var noGrad = no_grad(); return mse.call(model.call(input, 0), target).item<float>(); }

    var losses = new List<StepLosses>();
    Dictionary<string, Tensor> best = null;
    var bestStep = 0;
    var progress = display($"{name}: training…");
    for (var step = 1; step <= steps; step++)
    {
        using var scope = NewDisposeScope();
        var evaluations = LbfgsStep(optimizer, () => mse.call(model.call(p.TrainInput, 0), p.TrainTarget));
        losses.Add(new StepLosses(step, Loss(p.TrainInput, p.TrainTarget), Loss(p.ValidationInput, p.ValidationTarget), evaluations));
        if (losses[^1].ValidationLoss < (bestStep == 0 ? double.PositiveInfinity : losses[bestStep - 1].ValidationLoss))
        {
            best?.Values.ToList().ForEach(t => t.Dispose());   // the comparison is false for NaN: a step that blew up is never kept
            best = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
            bestStep = step;
        }
        progress.Update($"{name}: {losses[^1]}");
    }
    if (best is null) throw new InvalidOperationException($"{name}: no step gave a finite validation loss; lower learningRate");
    using var testScope = NewDisposeScope();
    using var noGradient = no_grad();
    foreach (var (key, parameter) in model.state_dict()) parameter.copy_(best[key]);
    var prediction = model.call(p.TestInput, p.Future);                // the restored model on the test series, once
    var testLoss = mse.call(prediction[.., ..(p.L - 1)], p.TestTarget).item<float>();
    var forecasts = Enumerable.Range(0, p.TestCount).Select(i => prediction[i].data<float>().ToArray()).ToArray();
    return new FitResult(model, losses, bestStep, testLoss, forecasts);
}

// ── cell 14 ──
string Verdict(FitResult fit)
{
    var (chosen, last) = (fit.Steps[fit.BestStep - 1], fit.Steps[^1]);
    var after = last.Step == chosen.Step ? "the last step"
        : !(last.ValidationLoss <= 10 * chosen.ValidationLoss) ? $"then it blew up, to {last.ValidationLoss:G4} after step {last.Step}"
        : $"it ended at {last.ValidationLoss:G4} after step {last.Step}";
    return $"validation chose step {chosen.Step} (validation loss {chosen.ValidationLoss:G4}; {after}); " +
        $"test loss of the restored model, computed once: {fit.TestLoss:G4}";
}
var waveFit = Fit(waves, "cos-sin waves");
foreach (var s in waveFit.Steps) Console.WriteLine(s);
Console.WriteLine(Verdict(waveFit));
display(CourseCharts.ForecastSteps($"New waves: forecasts of {Math.Min(3, waves.TestCount)} test series, step {waveFit.BestStep} restored",
    new[] { ($"step {waveFit.BestStep}", waveFit.TestForecasts.Take(3).ToArray()) }, knownLength: waves.L - 1));

// ### Against forecasts that need no training
//
// Chapter 4 set its model against forecasts that need no training, on the same points: one step ahead, repeating the
// last value or the last change; free-running, those two and repeating the last period, its length estimated from the
// training series' autocorrelation. The same comparison here, with chapter 4's `EstimatePeriod` and
// `CompareWithBenchmarks`. Nothing in it knows the formula: the period comes from the training series alone (the
// formula's own, $\pi T$ points, is printed beside it only to check the estimate). The truth past the data does come
// from the formula, at each test wave's shift.

// ── cell 16 ──
float[][] Rows(float[,] data, int from, int count) =>
    Enumerable.Range(from, count).Select(r => Enumerable.Range(0, data.GetLength(1)).Select(c => data[r, c]).ToArray()).ToArray();
/// <summary>The period estimated from the training series, then chapter 4's comparison on the test series, each
/// given with the truth for its next Future points.</summary>
void CompareFit(string name, Problem p, FitResult fit, float[,] data, float[][] testSeriesLonger)
{
    var found = EstimatePeriod(Rows(data, p.TestCount + p.ValidationCount, p.TrainCount));
    Console.WriteLine(found is null ? $"{name}: the {p.TrainCount} training series show no period within half their {p.L} points"
                                    : $"{name}: period estimated from the {p.TrainCount} training series: {found} points");
    foreach (var comparison in CompareWithBenchmarks(testSeriesLonger, p.L - 1, p.Future, found, fit.TestLoss, fit.TestForecasts))
        Console.WriteLine(comparison);
}
var wavesLonger = Enumerable.Range(0, waves.TestCount)            // each test wave and the truth past it: the formula at its shift
    .Select(w => Enumerable.Range(0, waves.L + waves.Future).Select(x => (float)CosSin((x + drawn.Shifts[w]) / (double)drawn.Period)).ToArray())
    .ToArray();
Console.WriteLine($"the formula's period: πT = {Math.PI * drawn.Period:F2} points");
CompareFit("new waves", waves, waveFit, drawn.Values, wavesLonger);

// The builder handled data whose size it learned only at run time; the losses above say how well the model learned the
// new shape, the chart shows the restored step's forecasts, and the verdicts say whether they beat what the data's own
// past gives for nothing. Waves too short to show two periods get no seasonal naive, and then the comparison says so.
//
// ## The minutes again, as many seasons
//
// Chapter 1 fitted one injured player's 11 games as a function of the game number. Now we simulate 100 seasons of
// 11 games with chapter 1's constants (`MinutesData`), $\text{minutes} = 1.6 \cdot \text{game} + 4 + \varepsilon$, but
// with one $\varepsilon \sim \mathcal{N}(10, 1)$ per season — each season starts at its own level, and the trend within
// it is exact — and hand the matrix to the same builder: 5 seasons test, 5 validate, 90 train, with inputs of 10 games
// and a forecast of 11 more.

// ── cell 18 ──
float[,] SimulateSeasons(int count, int games, int seed)        // (seasons, games)
{
    var noise = new SeededNormal(seed);
    var result = new float[count, games];
    for (var s = 0; s < count; s++)
    {
        var level = noise.Next(MinutesData.NoiseMean, MinutesData.NoiseStandardDeviation);   // one ε per season
        for (var g = 0; g < games; g++) result[s, g] = (float)(MinutesData.Slope * g + MinutesData.Intercept + level);
    }
    return result;
}
var seasonsOfMinutes = SimulateSeasons(seasons, gamesPerSeason, minutesSeed);
var minutes = Build(seasonsOfMinutes, validationProportion, testProportion);
Describe(minutes);
var minutesFit = Fit(minutes, "minutes");
foreach (var s in minutesFit.Steps) Console.WriteLine(s);
Console.WriteLine(Verdict(minutesFit));

// ── cell 19 ──
display(CourseCharts.ForecastSteps($"Minutes: forecasts of {Math.Min(3, minutes.TestCount)} test series and {minutes.Future} more games, step {minutesFit.BestStep} restored",
    new[] { ($"step {minutesFit.BestStep}", minutesFit.TestForecasts.Take(3).ToArray()) }, knownLength: minutes.L - 1, xTitle: "game", yTitle: "minutes"));

// ── cell 20 ──
var season = minutesFit.TestForecasts[0];       // predictions of games 1 … L − 1, then the forecast games
var rises = season.Skip(minutes.L - 2).Zip(season.Skip(minutes.L - 1), (a, b) => b - a).ToArray();
Console.WriteLine($"test season 0's forecast rises {rises[0]:+0.00;-0.00} minutes in its first game past the data and " +
    $"{rises[^1]:+0.00;-0.00} in its last (the trend: +{MinutesData.Slope}); it ends at {season[^1]:F1} minutes, " +
    $"and the highest value in the data is {seasonsOfMinutes.Cast<float>().Max():F1}");

// ── cell 21 ──
var minutesLonger = Rows(SimulateSeasons(seasons, gamesPerSeason + minutes.Future, minutesSeed), 0, minutes.TestCount);   // the same seed: the same levels, longer seasons
CompareFit("minutes", minutes, minutesFit, seasonsOfMinutes, minutesLonger);

// Unlike chapter 1's function of the game number, this model reads a season's games in order, so it can pick up the
// season's level from its first games and continue from there; the test loss above says how well it did.
//
// Against the benchmarks the seasons are a special case. Every season rises by the same 1.6 minutes a game, so
// repeating the last change continues each season's own line — one step ahead from the third game on, and past the
// data — to within float32 rounding: for the LSTM to beat it there, its forecast would have to be just as exact. The
// seasons do not repeat, so there is no period to find and no seasonal naive. The truth past the data comes from the
// same simulation with longer seasons: the same seed draws the same level for each season.
//
// **Why can the forecast bend like a logarithm?** Beyond game 10 the model feeds on its own predictions. When they
// climb past the highest value in the data (printed above), the model reads inputs it never saw in training, and the
// LSTM's gates and its $\tanh$ activations saturate for large inputs, so each extra game can add less than the last: the
// forecast flattens — its last rise smaller than its first, and than the trend's 1.6 — as chapter 1's `tanh` network
// did. A model only interpolates confidently inside the range of its training data; to extrapolate a trend, give it
// the trend explicitly — predict the *change* from game to game, or scale the data so that the future stays in range.
//
// ## Beyond this course
//
// Chapter 6 takes up what this chapter's forecasts need next — scaling, logs and differencing, a validation block
// with early stopping, several seeds — and makes the benchmarks its subject, on a series with a trend and a season.
// Beyond it:
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
// - The step to keep is chosen on validation series, and the test series are measured once, with the restored model —
//   which also undoes a step whose loss blew up.
// - A forecast that climbs past the training data's range can saturate — the logarithm-like bend — because the model
//   extrapolates outside what it saw; the printed rises show whether this one did.
// - Chapter 4's benchmarks need nothing but the data: the period comes from the training series' autocorrelation,
//   and each forecast is set against the strongest benchmark on the same points.

// ## Exercises
//
// Each exercise has a cell for your answer and a check cell after it: run both, and the check says whether your answer
// holds or which condition does not, yet. Worked solutions are in [solutions/05-automated-shape-inference.md](../solutions/05-automated-shape-inference.md)
// — try first.
//
// ### Exercise 5.1 — Every problem at once
//
// `Build` stops at the first problem it finds; with a large data set you would rather see them all and fix them in one
// go. Write `Problems`: every reason the builder refuses the data itself — fewer than 3 series, fewer than 2 points,
// and each value that is not a finite number, named by where it is, as `series 2, point 7` — one message each, and no
// message for data the builder takes. (Proportions that leave nothing to train on are not a problem of the data.)

// ── cell 24 ──
// Exercise 5.1: your answer. One message for each problem of the data; none for data the builder takes.
List<string> Problems(float[,] data) => [];

// ── cell 25 ──
var twoShortSeries = new float[2, 1] { { 0 }, { float.NaN } };
var twoBadValues = new float[4, 10];
(twoBadValues[0, 3], twoBadValues[2, 7]) = (float.NaN, float.PositiveInfinity);
bool BuildRefuses(float[,] data) { try { Build(data, 0.05, 0.05); return false; } catch (ArgumentException) { return true; } }
display(Exercise.Check("5.1",
    ("the chapter's waves and seasons have no problems", () => Problems(drawn.Values).Count == 0 && Problems(seasonsOfMinutes).Count == 0),
    ("2 series of 1 point, one of them NaN, have three problems: too few series, too few points and the NaN", () => Problems(twoShortSeries).Count == 3),
    ("a NaN at series 0, point 3 and an infinity at series 2, point 7 are two problems, each named by its series and point",
        () => Problems(twoBadValues) is { Count: 2 } found && found.Any(m => m.Contains("series 0, point 3")) && found.Any(m => m.Contains("series 2, point 7"))),
    ("the data Build refuses have problems, and the data it takes have none",
        () => new[] { twoShortSeries, twoBadValues, new float[3, 2], new float[5, 1], new float[3, 50] }.All(d => BuildRefuses(d) == Problems(d).Count > 0))));

// ### Exercise 5.2 — Series of different lengths
//
// Series seldom come as a matrix: one sensor has a longer record than another, one season more games. Write
// `FromRagged`: the matrix the builder takes, from series of any lengths, each cut to the shortest one's length by
// keeping its **last** points — a forecast continues from the end. Refuse, with an `ArgumentException` that says why, a
// list with no series, and a series of fewer than 2 points, naming it as `series 3`.

// ── cell 27 ──
// Exercise 5.2: your answer. Every series cut to the shortest one's length, keeping its last points.
float[,] FromRagged(IReadOnlyList<float[]> series) => throw new NotImplementedException("your answer");

// ── cell 28 ──
string Refusal(IReadOnlyList<float[]> series) { try { FromRagged(series); return null; } catch (ArgumentException e) { return e.Message; } }
display(Exercise.Check("5.2",
    ("series of 5, 3 and 4 points become a (3, 3) matrix of their last 3 points", () =>
        FromRagged([[1, 2, 3, 4, 5], [10, 20, 30], [7, 8, 9, 10]]) is var cut && cut.GetLength(0) == 3 && cut.GetLength(1) == 3
        && cut.Cast<float>().SequenceEqual([3, 4, 5, 10, 20, 30, 8, 9, 10])),
    ("the chapter's seasons, all of one length, come back as they were",
        () => FromRagged(Rows(seasonsOfMinutes, 0, seasons)).Cast<float>().SequenceEqual(seasonsOfMinutes.Cast<float>())),
    ("a list with no series is refused with an ArgumentException", () => Refusal([]) is not null),
    ("a series of 1 point is refused with an ArgumentException that names it: series 1", () => Refusal([[1, 2, 3], [4], [5, 6]])?.Contains("series 1") == true)));

// ### Exercise 5.3 — Proportions to counts, for any N
//
// The builder turns a proportion into a count by rounding down, to at least 1: of 39 series, 5 % is
// $39 \cdot 0.05 = 1.95$, which becomes 1. Write `Split`: the counts `(Train, Validation, Test)`, each held-out count the
// *nearest* whole number to $N \cdot p$, at least 1, and the rest to train. Refuse, with an `ArgumentException` that
// says why, fewer than 3 series, a proportion below 0 or not below 1, and counts that leave nothing to train on.

// ── cell 30 ──
// Exercise 5.3: your answer. (Train, Validation, Test): each held-out count the nearest whole number to N · p, at least 1.
(int Train, int Validation, int Test) Split(int n, double validationProportion, double testProportion) => throw new NotImplementedException("your answer");

// ── cell 31 ──
bool SplitRefuses(int n, double v, double t) { try { Split(n, v, t); return false; } catch (ArgumentException) { return true; } }
bool Nearest(int count, int n, double proportion) => count >= 1 && (Math.Abs(count - n * proportion) <= 0.5 + 1e-9 || (count == 1 && n * proportion < 0.5));
var someProportions = new[] { 0, 0.05, 0.1, 0.2, 0.3 };
display(Exercise.Check("5.3",
    ("of 39 series, 5 % each gives 2 validation and 2 test series, and 35 to train", () => Split(39, 0.05, 0.05) == (35, 2, 2)),
    ("for 3 to 300 series and proportions from 0 to 0.3, the counts sum to N, at least 1 to train, each held-out count the nearest to N · p, at least 1",
        () => (from n in Enumerable.Range(3, 298) from v in someProportions from t in someProportions select (n, v, t, Counts: Split(n, v, t)))
            .All(s => s.Counts.Train + s.Counts.Validation + s.Counts.Test == s.n && s.Counts.Train >= 1
                      && Nearest(s.Counts.Validation, s.n, s.v) && Nearest(s.Counts.Test, s.n, s.t))),
    ("2 series, a proportion below 0 or of 1, and 4 series with 50 % to validate and 40 % to test are refused",
        () => SplitRefuses(2, 0.05, 0.05) && SplitRefuses(100, -0.1, 0.05) && SplitRefuses(100, 0.05, 1) && SplitRefuses(4, 0.5, 0.4))));

// **Next:** [Chapter 6 — Does the LSTM beat the simplest forecast?](06-baselines-and-transforms.ipynb) goes back to the
// airline passengers with benchmark forecasts, scaling, logs and differencing, early stopping and several seeds.

// ── the notebook's type declarations (a C# program declares its types after its statements) ──

record Problem(int N, int L, int TrainCount, int ValidationCount, int TestCount, int Future,
               Tensor TrainInput, Tensor TrainTarget, Tensor ValidationInput, Tensor ValidationTarget, Tensor TestInput, Tensor TestTarget);

record StepLosses(int Step, double TrainLoss, double ValidationLoss, int Evaluations)
{
    public override string ToString() => $"step {Step}: train loss {TrainLoss:G4}, validation loss {ValidationLoss:G4}, {Evaluations} evaluations";
}

record FitResult(Sequence Model, List<StepLosses> Steps, int BestStep, double TestLoss, float[][] TestForecasts);   // each test series' outputs
