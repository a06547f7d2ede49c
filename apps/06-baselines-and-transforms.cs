// 06-baselines-and-transforms: generated from notebooks/06-baselines-and-transforms.ipynb by NotebookRunner (--export-apps); do not edit.
// Run it with: dotnet run apps/06-baselines-and-transforms.cs [--parameter value ...] [--out DIR]
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
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using LstmNotebooks.Charts;
using LstmNotebooks.Data;
using LstmNotebooks.Exercises;
using LstmNotebooks.Runtime;
using LstmNotebooks.Training;
using static LstmNotebooks.Chapters.Chapter03;

var app = NotebookApp.AppHost.Start("06-baselines-and-transforms", args);   // runs in this file's folder, as the notebook runs in its own

// # Chapter 6 — Does the LSTM beat the simplest forecast? Baselines, transforms, seasonality
//
// Chapter 3 trained an `nn.LSTM` on the airline passengers and reported its test RMSE in thousands of passengers. Is
// that a good number? A number means little until it is compared with what a forecast that needs no training at all
// achieves on the same months. Every forecasting text starts there (Hyndman & Athanasopoulos, *Forecasting: Principles
// and Practice*, "Some simple forecasting methods"): a model is only worth its complexity if it beats these **benchmark
// methods**.
//
// **What you will learn**
//
// - five benchmark forecasts — naive, seasonal naive and drift from *Forecasting: Principles and Practice*, and the
//   seasonal naive moved by this year's change or scaled by this year's growth — for one month ahead and for several
//   years ahead;
// - the three things chapter 3 skipped: scaling fitted on the training months only, a **log transform** for the growing
//   seasonal swing, and **differencing** (first and seasonal) so that the model learns the part of the series the simple
//   forecasts cannot explain;
// - to hold out a **validation year**, stop training on it (**early stopping**, the best epoch's weights restored) and
//   **choose the settings on it** — window, hidden size, learning rate — so that the test months are scored once, at the
//   end, by a model that never saw them;
// - a **linear autoregression** on the same windows, to see what the LSTM adds over a linear model;
// - to forecast one step ahead and **recursively** 12 and 48 months ahead, each prediction fed back in, against
//   benchmarks of the same task;
// - why one seed's RMSE is an anecdote, and how to report several: the mean and standard deviation, the median, and how many seeds
//   beat the benchmark.

// ## Set-up
//
// Besides the usual packages, this chapter reuses chapter 3's windowing, model and training loop — `CreateWindows`,
// `AirModel` and `TrainEpoch`, the cells chapter 3 marked `// @save`, which the helper library compiles as written — to
// retrain chapter 3's models, so that the final comparison puts every method on the same months, and to train this
// chapter's model.

// ── cell 3 ──
display(TorchRuntime.EnsureAvailable().ToString());

// ## Parameters
//
// The LSTM is trained with Adam on mini-batches of `batchSize` windows and stops when the validation year has not improved for
// `patience` epochs. Its window, hidden size and learning rate are not fixed here: the chapter tries every combination of
// the candidates below, with the seeds 1 … `selectionSeeds`, and keeps the one with the lowest validation loss. The
// linear autoregression chooses its window and penalty the same way. The chosen LSTM is then trained with the seeds 1, 2,
// …, `seeds`.
// The candidates are written as comma-separated text, because a parameter the runner and the apps can override is a
// single value of a simple type.

// ── cell 5 (parameters) ──
var dataPath = "../data/airline-passengers.csv";
var trainFraction = 0.67;                 // chapter 3's split: months 0–95 are known, the rest is the test
var validationMonths = 12;                // the last known year: it chooses the settings and when to stop
var windowChoices = "12, 24";             // months of (transformed) history a model reads: one or two seasons
var hiddenSizeChoices = "16, 32";         // LSTM hidden units
var learningRateChoices = "0.001, 0.003"; // Adam's step size
var penaltyChoices = "0, 1, 10, 100";     // the linear autoregression's ridge penalty
var batchSize = 8;
var maxEpochs = 600;
var patience = 100;                       // stop after this many epochs without a better validation loss
var selectionSeeds = 2;                   // each setting is trained with the seeds 1 … selectionSeeds
var seeds = 5;                            // the chosen setting, trained once per seed: 1, 2, …, seeds
var chapter3Epochs = 2000;                // chapter 3's two models, retrained with chapter 3's settings
// Any of the parameters above can be given on the command line, e.g. --dataPath value:
dataPath = app.Get("dataPath", dataPath);
trainFraction = app.Get("trainFraction", trainFraction);
validationMonths = app.Get("validationMonths", validationMonths);
windowChoices = app.Get("windowChoices", windowChoices);
hiddenSizeChoices = app.Get("hiddenSizeChoices", hiddenSizeChoices);
learningRateChoices = app.Get("learningRateChoices", learningRateChoices);
penaltyChoices = app.Get("penaltyChoices", penaltyChoices);
batchSize = app.Get("batchSize", batchSize);
maxEpochs = app.Get("maxEpochs", maxEpochs);
patience = app.Get("patience", patience);
selectionSeeds = app.Get("selectionSeeds", selectionSeeds);
seeds = app.Get("seeds", seeds);
chapter3Epochs = app.Get("chapter3Epochs", chapter3Epochs);
app.Check();

// ## The data: training, validation and test months
//
// The same series and the same split as chapter 3: months 0–95 (1949–1956) are known, the rest is the future. Chapter
// 3's lookback-1 test windows predict months 97 to 143, one month ahead each, from the true months before; every one-step forecast
// below is scored on exactly those 47 forecasts, in thousands of passengers. Of the known months, the last year is held
// out as the **validation year**: the models never train on it, and it alone decides when training stops and which
// settings win. Everything the chapter designs and chooses looks at the known months only; the test months are
// scored once, at the end.

// ── cell 7 ──
var airline = AirlinePassengers.Load(dataPath);
var months = airline.Months;
double[] y = airline.Values.Select(v => (double)v).ToArray();
var trainSize = (int)(y.Length * trainFraction);                                            // 96 known months
var validationStart = trainSize - validationMonths;                                          // 84
var testMonths = Enumerable.Range(trainSize + 1, y.Length - trainSize - 1).ToArray();        // 97 … 143
double[] truth = testMonths.Select(m => y[m]).ToArray();
var testLabels = testMonths.Select(m => months[m]).ToArray();
double Rmse(IReadOnlyList<double> forecast, IReadOnlyList<double> actual) =>
    Math.Sqrt(forecast.Zip(actual, (f, a) => (f - a) * (f - a)).Average());
Console.WriteLine($"training: months 0–{validationStart - 1} ({months[0]} – {months[validationStart - 1]})");
Console.WriteLine($"validation: months {validationStart}–{trainSize - 1} ({months[validationStart]} – {months[trainSize - 1]})");
Console.WriteLine($"test: {testMonths.Length} one-step forecasts of months {testMonths[0]}–{testMonths[^1]} ({testLabels[0]} – {testLabels[^1]})");

// ## Five forecasts that need no training
//
// To forecast month $t+1$ knowing the months up to $t$:
//
// | method | forecast of $y_{t+1}$ | what it assumes |
// |---|---|---|
// | naive (persistence) | $y_t$ | next month is like this month |
// | seasonal naive | $y_{t-11}$ | next month is like the same month last year |
// | drift | $y_t + \frac{y_t - y_0}{t}$ | the average monthly change so far continues |
// | seasonal naive with this year's change | $y_{t-11} + (y_t - y_{t-12})$ | last year's month, moved by how much this year differs from last |
// | seasonal naive with this year's growth | $y_{t-11} \cdot \frac{y_t}{y_{t-12}}$ | last year's month, scaled by how much this year grew |
//
// The first three are the simple methods of Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*. The last
// two combine the two patterns this series has, the season (last year's shape) and the trend (this year's level), as
// a difference or as a ratio; each is a one-line formula. To compare them without touching the test months, score them
// on the validation year, one month ahead each.

// ── cell 9 ──
// Each forecast of month m uses the months up to m − 1 only.
var benchmarks = new (string Name, Func<int, double> Forecast)[]
{
    ("naive (persistence)", m => y[m - 1]),
    ("seasonal naive", m => y[m - 12]),
    ("drift", m => y[m - 1] + (y[m - 1] - y[0]) / (m - 1)),
    ("seasonal naive with this year's change", m => y[m - 12] + y[m - 1] - y[m - 13]),
    ("seasonal naive with this year's growth", m => y[m - 12] * y[m - 1] / y[m - 13]),
};
var validationYear = Enumerable.Range(validationStart, validationMonths).ToArray();           // months 84–95
var validationTruth = validationYear.Select(m => y[m]).ToArray();
display(benchmarks.Select(b => new { forecast = b.Name, validationRmse = Math.Round(Rmse(validationYear.Select(b.Forecast).ToArray(), validationTruth), 2) }));

// ── cell 10 ──
var validationLabels = validationYear.Select(m => months[m]).ToArray();
display(CourseCharts.Figure("The validation year, one month ahead: five forecasts without training", "month", "passengers (thousands)",
    benchmarks.Select((b, i) => CourseCharts.Line(validationLabels, validationYear.Select(b.Forecast), b.Name, CourseCharts.Colours.Cycle[i + 1], dotted: true))
        .Prepend(CourseCharts.Line(validationLabels, validationTruth, "data", CourseCharts.Colours.Data, width: 3))));

// On the validation year the last two, which have both season and trend, are far ahead of the first three (the table
// above). Chapter 3's models and every method of this chapter are scored on the test months at the end of the chapter.
//
// ## What chapter 3 skipped
//
// ### 1. Scaling: fit it on the training months only
//
// Chapter 3 fed raw passenger counts to the LSTM. Neural networks train better on inputs of about unit size, so the
// series is usually scaled — but a scaler fitted on the *whole* series has seen the test years: its maximum is the
// largest month of 1960, a number the model must not know. Fit every transform on the training months and apply it,
// unchanged, to the rest.

// ── cell 12 ──
var trainingMin = y[..validationStart].Min();
var trainingMax = y[..validationStart].Max();
Console.WriteLine($"training months 0–{validationStart - 1}: {trainingMin} to {trainingMax}; largest of all {y.Length} months: {y.Max()} ({y.Max() / trainingMax:F2} × the training maximum).");
Console.WriteLine("A min-max scaler fitted on all 144 months would hand the model that ratio, and the test years' peak with it.");

// Chapter 3's harder problem is the same fact seen from the model's side: the test years are higher than anything it
// trained on (the cell above prints the range of the training months). An LSTM trained on counts in one range was never
// asked for a number outside it, and nothing in its training makes it produce one. The transforms below make the model
// predict a quantity whose range does not grow with time.
//
// ### 2. A log transform for the growing seasonal swing
//
// The summer peaks grow along with the trend: the seasonal swing is *multiplicative*, roughly a percentage of the level.
// In logarithms a percentage becomes a constant difference, so a swing that grows in step with the level would keep its
// size. The cell prints how close the known years come: in passengers the swing grows several times over from 1949 to
// 1956, in logarithms far less.

// ── cell 14 ──
double[] logY = y.Select(v => Math.Log(v)).ToArray();
var lastKnownYear = trainSize / 12 - 1;                     // 7: 1956
double Swing(double[] series, int year) => series.Skip(12 * year).Take(12).Max() - series.Skip(12 * year).Take(12).Min();
Console.WriteLine($"seasonal swing (largest − smallest month of the year), {months[0][..4]} → {months[12 * lastKnownYear][..4]}: {Swing(y, 0):F0} → {Swing(y, lastKnownYear):F0} thousand passengers, × {Swing(y, lastKnownYear) / Swing(y, 0):F1}");
Console.WriteLine($"in logarithms: {Swing(logY, 0):F3} → {Swing(logY, lastKnownYear):F3}, × {Swing(logY, lastKnownYear) / Swing(logY, 0):F2}");
display(CourseCharts.Figure("log(passengers), the known months: the swing grows far less", "month", "log(thousands of passengers)",
    CourseCharts.Line(months[..trainSize], logY[..trainSize], "log passengers", CourseCharts.Colours.Data)));

// ### 3. Differencing: seasonal, then first
//
// The **seasonal difference** $\log y_t - \log y_{t-12}$ compares each month with the same month a year before: the
// season cancels, and what is left is roughly the growth rate over the last twelve months. It still wanders (air
// travel grew faster in some years than others), so we take its **first difference** as well:
//
// $$d_t = (\log y_t - \log y_{t-12}) - (\log y_{t-1} - \log y_{t-13}), \qquad t \ge 13$$
//
// $d_t$ is how much this month's year-on-year growth differs from last month's. Undoing it gives the forecast back:
//
// $$\log y_t = d_t + \log y_{t-1} + \log y_{t-12} - \log y_{t-13}$$
//
// so predicting $d_t = 0$ *is* the seasonal naive with this year's growth: in logarithms a ratio is a difference.
// Whatever the LSTM learns about $d$ is what it adds to that benchmark.

// ── cell 16 ──
double SeasonalDifference(int t) => logY[t] - logY[t - 12];
double D(int t) => SeasonalDifference(t) - SeasonalDifference(t - 1);
var firstMonth = 13;   // the first month with a d
var seasonalMonths = Enumerable.Range(12, trainSize - 12).ToArray();          // the known months, as in every chart before the test
var dMonths = Enumerable.Range(firstMonth, trainSize - firstMonth).ToArray();
display(CourseCharts.Figure("Seasonal difference of the log: year-on-year growth", "month", "log y(t) − log y(t−12)",
    CourseCharts.Line(seasonalMonths.Select(t => months[t]), seasonalMonths.Select(SeasonalDifference), "seasonal difference", CourseCharts.Colours.Extra1)));

// ── cell 17 ──
display(CourseCharts.Figure("…and its first difference d(t): what the simple forecasts cannot explain", "month", "d(t)",
    CourseCharts.Line(dMonths.Select(t => months[t]), dMonths.Select(D), "d", CourseCharts.Colours.Extra2)));

// $d$ has no trend and no season left; it looks like noise around zero. Is it only noise? If it were independent noise,
// no model could predict it, and nothing could beat the benchmark. Its **autocorrelation** — the correlation of $d_t$
// with $d_{t-k}$ — measures its *linear* dependence on the past, on the months the model trains on. For $n$ values of
// pure noise it stays within about $\pm 2/\sqrt{n}$.

// ── cell 19 ──
var trainD = Enumerable.Range(firstMonth, validationStart - firstMonth).Select(D).ToArray();   // months 13–83: training only
double Autocorrelation(double[] series, int lag)
{
    var average = series.Average();
    return series.Skip(lag).Zip(series, (later, earlier) => (later - average) * (earlier - average)).Sum()
         / series.Sum(v => (v - average) * (v - average));
}
Console.WriteLine($"autocorrelation of d over months {firstMonth}–{validationStart - 1}: with the month before {Autocorrelation(trainD, 1):F2}, with the same month a year before {Autocorrelation(trainD, 12):F2}");
Console.WriteLine($"the band pure noise stays within: ±{2 / Math.Sqrt(trainD.Length):F2} ({trainD.Length} months)");

// Both correlations are negative and outside the noise band: a month whose growth jumps tends to be followed by one that
// falls back, and the same holds a year later. That is the linear structure the classic "airline model" of Box and
// Jenkins (a seasonal ARIMA with two coefficients) captures; Exercise 6.3 finds which other lags stand out. A non-linear
// model may find more than this, or nothing.
//
// Last, we scale $d$: divide it by its standard deviation **over the training months**, not the validation year, so the
// LSTM sees numbers of about unit size. We do not subtract its mean. A model that has learned little predicts a value
// near zero, and a ridge penalty shrinks towards zero; with the mean left in place, zero still means $d = 0$, the
// benchmark, rather than a small growth that compounds month after month.

// ── cell 21 ──
var dMean = trainD.Average();
var dScale = Math.Sqrt(trainD.Select(v => (v - dMean) * (v - dMean)).Average());   // d's standard deviation, training months
double Unscale(double value) => value * dScale;
// z[m]: month m's d in units of the training months' standard deviation (months before 13 have none); z = 0 ⇔ d = 0
float[] z = Enumerable.Range(0, y.Length).Select(t => t < firstMonth ? float.NaN : (float)(D(t) / dScale)).ToArray();
Console.WriteLine($"d over the training months {firstMonth}–{validationStart - 1}: mean {dMean:E2}, standard deviation {dScale:F4}");

// ## Windows of several lengths
//
// The input for month $m$ is $z$ of the `window` months before it, shaped `(windows, window, 1)` as in chapter 3; the
// target is $z_m$, one number per window (this time the model predicts only the month after the window). The window is
// one of the settings to choose, so a `WindowSet` is built for every candidate length. The training windows' targets
// stop before the validation year; the validation windows predict its 12 months, reading the true months before each.

// ── cell 23 ──
(Tensor Inputs, Tensor Targets) WindowTensors(int window, IReadOnlyList<int> targetMonths)
{
    var inputs = new float[targetMonths.Count * window];
    for (var i = 0; i < targetMonths.Count; i++) Array.Copy(z, targetMonths[i] - window, inputs, i * window, window);
    return (tensor(inputs).reshape(targetMonths.Count, window, 1), tensor(targetMonths.Select(m => z[m]).ToArray()).reshape(targetMonths.Count, 1));
}
WindowSet BuildWindowSet(int window)
{
    var firstTarget = firstMonth + window;           // the first month with a full window of z before it
    if (window < 1 || firstTarget >= validationStart)
        throw new ArgumentException($"windowChoices: a window of {window} months leaves no training window (z starts at month {firstMonth}, the validation year at {validationStart}: at most {validationStart - firstMonth - 1})");
    var trainTargets = Enumerable.Range(firstTarget, validationStart - firstTarget).ToArray();
    var (xTrain, yTrain) = WindowTensors(window, trainTargets);
    var (xValidation, yValidation) = WindowTensors(window, validationYear);
    var (xTest, _) = WindowTensors(window, testMonths);   // the test windows read the true months before each forecast
    Console.WriteLine($"window {window}: train {trainTargets.Length} windows (targets {months[trainTargets[0]]} – {months[trainTargets[^1]]}), validation {validationYear.Length}, test {testMonths.Length}");
    return new WindowSet(window, xTrain, yTrain, xValidation, yValidation, xTest);
}
double[] Numbers(string name, string list) => list.Split(',').Select(s => double.TryParse(s.Trim(), CultureInfo.InvariantCulture, out var v)
    ? v : throw new ArgumentException($"{name}: '{s.Trim()}' is not a number (write the candidates as \"1, 2, 3\")")).ToArray();
int[] Integers(string name, string list) => Numbers(name, list).Select(v => v == Math.Floor(v) ? (int)v : throw new ArgumentException($"{name}: {v} is not a whole number")).ToArray();
var windowSets = Integers(nameof(windowChoices), windowChoices).Distinct().ToDictionary(w => w, BuildWindowSet);

// ## The model and its training, with early stopping
//
// An `nn.LSTM` reads the window and a `Linear` layer turns its last hidden state into the next month's $z$. The same
// LSTM weights are applied at every month of the window; only the state carried from month to month changes.

// ── cell 25 ──

// Training is chapter 3's loop — `optim.Adam`, a `DataLoader` with `EpochShuffler`, and chapter 3's `TrainEpoch` — with
// one addition: after every epoch the validation loss is measured, the weights of the best epoch so far are copied aside
// (`state_dict`), and training stops when `patience` epochs have passed without a better one. The best weights are then
// put back: the model we keep is the one that forecast the held-out year best, not the one that fitted the training
// months longest.
//
// `Setting` names one combination of the settings to choose, and `Fit` keeps what a training returns. `Train` reports
// its progress through `report`, so that one display can follow many trainings.

// ── cell 27 ──
Fit Train(Setting setting, int seed, Action<string> report)   // report: shows the progress
{
    var data = windowSets[setting.Window];
    manual_seed(seed);
    var model = new SeasonalLstm(setting.HiddenSize);
    var mse = nn.MSELoss();
    var optimizer = optim.Adam(model.parameters(), setting.LearningRate);
    using var batches = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(data.XTrain, data.YTrain), batchSize,
        new EpochShuffler(data.XTrain.shape[0], seed), disposeDataset: false);
    List<double> trainLoss = [], validationLoss = [];
    var best = new Dictionary<string, Tensor>();
    var (epoch, bestEpoch, bestLoss) = (0, 0, double.PositiveInfinity);
    while (epoch < maxEpochs && epoch - bestEpoch < patience)
    {
        epoch++;
        TrainEpoch(model, optimizer, batches);
        using var scope = NewDisposeScope();
        model.eval();
        using (no_grad())
        {
            trainLoss.Add(mse.call(model.call(data.XTrain), data.YTrain).item<float>());
            validationLoss.Add(mse.call(model.call(data.XValidation), data.YValidation).item<float>());
        }
        if (validationLoss[^1] < bestLoss)
        {
            (bestEpoch, bestLoss) = (epoch, validationLoss[^1]);
            foreach (var t in best.Values) t.Dispose();
            best = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
        }
        if (epoch % 20 == 0) report($"{setting}, seed {seed}, epoch {epoch}: best validation loss {bestLoss:F4} at epoch {bestEpoch}");
    }
    using (no_grad())
        foreach (var (name, parameter) in model.state_dict()) parameter.copy_(best[name]);   // back to the best epoch
    foreach (var t in best.Values) t.Dispose();
    report($"{setting}, seed {seed}: stopped after epoch {epoch}; best validation loss {bestLoss:F4} at epoch {bestEpoch}, restored");
    return new Fit(setting, seed, model, bestEpoch, epoch, bestLoss, trainLoss, validationLoss);
}

// ## Choosing the settings on the validation year
//
// Which window, hidden size and learning rate? The honest way to choose is the one chapter 3 could not use: train every
// combination, score each on the validation year, keep the best, and only then look at the test months. Each setting is
// trained with `selectionSeeds` seeds and judged by the mean of their best validation losses, so that one lucky seed
// does not decide.
//
// `patience` is not among the candidates, and cannot be: with the best epoch restored, a longer patience sees the same
// epochs and more, so its best validation loss is never worse and the validation year would always choose the longest.
// It is a budget, not a setting to tune.

// ── cell 29 ──
if (selectionSeeds < 1 || seeds < 1) throw new ArgumentException($"selectionSeeds ({selectionSeeds}) and seeds ({seeds}) must be at least 1");
var settings = (from window in windowSets.Keys
                from hidden in Integers(nameof(hiddenSizeChoices), hiddenSizeChoices).Distinct()
                from rate in Numbers(nameof(learningRateChoices), learningRateChoices).Distinct()
                select new Setting(window, hidden, rate)).ToArray();
var choosing = display($"{settings.Length} settings × {selectionSeeds} seeds: training…");
var trials = settings.ToDictionary(s => s, s => Enumerable.Range(1, selectionSeeds).Select(seed => Train(s, seed, choosing.Update)).ToList());
double ValidationScore(Setting s) => trials[s].Average(f => f.BestValidationLoss);
var chosen = settings.MinBy(ValidationScore);
var benchmarkValidationLoss = validationYear.Average(m => (double)z[m] * z[m]);   // predicting z = 0, that is d = 0
Console.WriteLine($"chosen on the validation year: {chosen} (mean best validation loss {ValidationScore(chosen):F4} over seeds 1–{selectionSeeds})");
Console.WriteLine($"on the same year, predicting d = 0 (the seasonal naive with this year's growth) scores {benchmarkValidationLoss:F4}");
display(settings.OrderBy(ValidationScore).Select(s => new
{
    window = s.Window, hiddenSize = s.HiddenSize, learningRate = s.LearningRate, validationLoss = Math.Round(ValidationScore(s), 4),
    bestEpochs = string.Join(", ", trials[s].Select(f => f.BestEpoch)), epochs = string.Join(", ", trials[s].Select(f => f.Epochs)),
}));

// ── cell 30 ──
var chosenSeed1 = trials[chosen][0];
var epochsRun = Enumerable.Range(1, chosenSeed1.Epochs).ToArray();
display(CourseCharts.Figure($"The chosen setting, seed 1: loss per epoch (scaled units); best epoch {chosenSeed1.BestEpoch}", "epoch", "MSE (log scale)", new[]
{
    CourseCharts.Line(epochsRun, chosenSeed1.TrainLoss, "training loss", CourseCharts.Colours.Train),
    CourseCharts.Line(epochsRun, chosenSeed1.ValidationLoss, "validation loss", CourseCharts.Colours.Test),
}, logY: true));

// ## A linear model on the same windows
//
// Is an LSTM needed at all? A **linear autoregression** learns the linear structure the autocorrelations measure,
// directly: $\hat z_m = \sum_{k=1}^{w} a_k z_{m-k}$, a weighted sum of the same window the LSTM reads. Its weights have a
// closed form, least squares with a **ridge penalty** $\lambda \lVert a \rVert^2$ that keeps them small — towards
// $\hat z = 0$, the benchmark — when a long window has few training windows to fit: $a = (X^\top X + \lambda I)^{-1}
// X^\top z$. It chooses its window and $\lambda$ on the same validation year. Whatever the LSTM gains over it is what
// its non-linearity and its state buy on this series.

// ── cell 32 ──
Tensor FitLinear(WindowSet data, double penalty)        // the weights a: (window, 1), in float64
{
    var x = data.XTrain.reshape(data.XTrain.shape[0], -1).to_type(ScalarType.Float64);   // (windows, window)
    var gram = x.t().matmul(x) + penalty * eye(x.shape[1], dtype: ScalarType.Float64);
    return linalg.solve(gram, x.t().matmul(data.YTrain.to_type(ScalarType.Float64)));
}
Tensor PredictLinear(Tensor weights, Tensor windows) => windows.reshape(windows.shape[0], -1).to_type(ScalarType.Float64).matmul(weights);
double Mse(Tensor prediction, Tensor target) => (prediction - target.to_type(ScalarType.Float64)).square().mean().item<double>();
var linearTrials = (from window in windowSets.Keys
                    from penalty in Numbers(nameof(penaltyChoices), penaltyChoices).Distinct()
                    let weights = FitLinear(windowSets[window], penalty)
                    select (Window: window, Penalty: penalty, Weights: weights,
                            ValidationLoss: Mse(PredictLinear(weights, windowSets[window].XValidation), windowSets[window].YValidation))).ToArray();
var chosenLinear = linearTrials.MinBy(t => t.ValidationLoss);
Console.WriteLine($"linear autoregression chosen on the validation year: window {chosenLinear.Window}, penalty {chosenLinear.Penalty} (validation loss {chosenLinear.ValidationLoss:F4}; d = 0 scores {benchmarkValidationLoss:F4})");
display(linearTrials.OrderBy(t => t.ValidationLoss).Select(t => new { window = t.Window, penalty = t.Penalty, validationLoss = Math.Round(t.ValidationLoss, 4) }));

// ## The test months, once: one month ahead
//
// Everything is now chosen, and the test months are used for the first time. The chosen LSTM is trained with the seeds
// 1, 2, …, `seeds` (the first `selectionSeeds` were already trained while choosing), and each model predicts $z$ for
// every test month from the true months before it. Undo the scaling, the differencing and the log, in that order, and
// the forecast is in thousands of passengers again. The linear autoregression forecasts the same way.
//
// Different seeds give different initial weights and batch orders, and with a few dozen training windows the result
// moves from seed to seed. One seed's number is an anecdote; the cell reports the mean and the sample standard deviation
// over seeds, the median, and each seed's numbers. The verdict below uses the median: one seed that goes wrong moves the
// mean, not the median.

// ── cell 34 ──
double[] OneStep(Func<Tensor, Tensor> predictZ, WindowSet data)      // a z for every test window → passengers
{
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    var zHat = predictZ(data.XTest).reshape(-1).to_type(ScalarType.Float64).data<double>().ToArray();
    return testMonths.Select((m, i) => Math.Exp(Unscale(zHat[i]) + logY[m - 1] + logY[m - 12] - logY[m - 13])).ToArray();
}
double[] LstmOneStep(Fit fit)
{
    fit.Model.eval();
    return OneStep(fit.Model.call, windowSets[fit.Setting.Window]);
}
double StandardDeviation(double[] values)
{
    var average = values.Average();
    return values.Length < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - average) * (v - average)) / (values.Length - 1));
}
double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
}
var otherSeeds = display($"{chosen}: the other seeds…");
var fits = Enumerable.Range(1, seeds).Select(seed => seed <= selectionSeeds ? trials[chosen][seed - 1] : Train(chosen, seed, otherSeeds.Update)).ToList();
var seedRmse = fits.Select(f => Rmse(LstmOneStep(f), truth)).ToArray();
var (lstmMeanRmse, lstmSpread, lstmMedianRmse) = (seedRmse.Average(), StandardDeviation(seedRmse), Median(seedRmse));
var linearForecast = OneStep(x => PredictLinear(chosenLinear.Weights, x), windowSets[chosenLinear.Window]);
var linearRmse = Rmse(linearForecast, truth);
Console.WriteLine($"LSTM ({chosen}) over {fits.Count} seeds: one-step test RMSE median {lstmMedianRmse:F2}, mean {lstmMeanRmse:F2} ± {lstmSpread:F2} (best {seedRmse.Min():F2}, worst {seedRmse.Max():F2})");
Console.WriteLine($"linear autoregression (window {chosenLinear.Window}, penalty {chosenLinear.Penalty}): one-step test RMSE {linearRmse:F2}");
display(fits.Select((f, i) => new { seed = f.Seed, bestEpoch = f.BestEpoch, epochs = f.Epochs, testRmse = Math.Round(seedRmse[i], 2) }));

// ## Recursively, 12 and 48 months ahead
//
// One step ahead, every forecast starts from true data. To forecast further than one month, a model's own prediction
// must stand in for the month it predicted: from the end of the known months (month 95) on, each predicted $z$ is
// appended to the history, turned into a month's passengers, and read back as input for the next. Errors now compound,
// as in chapter 4's free-running sine waves.
//
// The benchmarks must do the same task: forecast 1957–1960 knowing only the months up to December 1956. Naive, seasonal
// naive and drift extend naturally (the last month, the last year repeated, the last month plus the average change per
// month times the months ahead). The two seasonal forecasts with this year's change or growth extend by feeding their
// own forecasts back in, as the models do. With growth, that is the chapter's own equation with $d_t = 0$ for every
// month: $\log \hat y_m = \log \hat y_{m-1} + \log \hat y_{m-12} - \log \hat y_{m-13}$ — last year's shape, scaled by
// 1956's growth, compounding year after year. It needs no training, and it is exactly what the LSTM's recursion produces
// if the model always predicts $z = 0$.

// ── cell 36 ──
// From the known months 0–95 on: each predicted z is appended and read back; nextZ maps a window of z to the next z.
double[] Recursive(Func<float[], double> nextZ, int window, int horizon)
{
    var zs = z[..trainSize].ToList();            // z of months 0–95 (NaN before month 13), then the predicted ones
    var logs = logY[..trainSize].ToList();       // log passengers, known then predicted
    for (var m = trainSize; m < trainSize + horizon; m++)
    {
        var zHat = nextZ(zs.GetRange(m - window, window).ToArray());
        zs.Add((float)zHat);
        logs.Add(Unscale(zHat) + logs[m - 1] + logs[m - 12] - logs[m - 13]);
    }
    return logs.Skip(trainSize).Select(Math.Exp).ToArray();
}
double LstmNext(Fit fit, float[] history)
{
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    fit.Model.eval();
    return fit.Model.call(tensor(history).reshape(1, history.Length, 1)).item<float>();
}
double LinearNext(float[] history)
{
    using var scope = NewDisposeScope();
    return PredictLinear(chosenLinear.Weights, tensor(history).reshape(1, history.Length, 1)).item<double>();
}

// ── cell 37 ──
var horizon = y.Length - trainSize;              // 48 months: 1957–1960
var lastKnown = trainSize - 1;                   // month 95, December 1956
double[] Ahead(Func<int, double> forecast) => Enumerable.Range(trainSize, horizon).Select(forecast).ToArray();
double[] WithChangeAhead()                       // y(m) = y(m − 12) + y(m − 1) − y(m − 13), its own forecasts fed back
{
    var known = y[..trainSize].ToList();
    for (var m = trainSize; m < trainSize + horizon; m++) known.Add(known[m - 12] + known[m - 1] - known[m - 13]);
    return known.Skip(trainSize).ToArray();
}
var recursiveBenchmarks = new (string Name, double[] Forecast)[]
{
    ("naive (persistence)", Ahead(m => y[lastKnown])),
    ("seasonal naive", Ahead(m => y[lastKnown - 11 + (m - trainSize) % 12])),
    ("drift", Ahead(m => y[lastKnown] + (m - lastKnown) * (y[lastKnown] - y[0]) / lastKnown)),
    ("seasonal naive with this year's change", WithChangeAhead()),
    ("seasonal naive with this year's growth", Recursive(_ => 0, 1, horizon)),   // z = 0, that is d = 0, every month
};
var lstmAhead = fits.Select(f => Recursive(history => LstmNext(f, history), f.Setting.Window, horizon)).ToArray();
var linearAhead = Recursive(LinearNext, chosenLinear.Window, horizon);

// ── cell 38 ──
double RmseAhead(double[] forecast, int monthsAhead) => Rmse(forecast[..monthsAhead], y[trainSize..(trainSize + monthsAhead)]);
double[] LstmRmseAhead(int monthsAhead) => lstmAhead.Select(f => RmseAhead(f, monthsAhead)).ToArray();
foreach (var monthsAhead in new[] { 12, 48 })
    Console.WriteLine($"LSTM, {monthsAhead} months ahead, seed by seed: {string.Join(", ", LstmRmseAhead(monthsAhead).Select(r => r.ToString("F2")))}");
(string Method, double Rmse12, double Rmse48)[] recursiveRows =
[
    .. recursiveBenchmarks.Select(b => (b.Name, RmseAhead(b.Forecast, 12), RmseAhead(b.Forecast, 48))),
    ("linear autoregression", RmseAhead(linearAhead, 12), RmseAhead(linearAhead, 48)),
    ($"LSTM, median over {fits.Count} seeds", Median(LstmRmseAhead(12)), Median(LstmRmseAhead(48))),
];
display(recursiveRows.Select(r => new { method = r.Method, rmse12Months = Math.Round(r.Rmse12, 2), rmse48Months = Math.Round(r.Rmse48, 2) }));

// ── cell 39 ──
var lstmAhead48 = LstmRmseAhead(48);
var nearestMedian = Array.IndexOf(lstmAhead48, lstmAhead48.MinBy(r => Math.Abs(r - Median(lstmAhead48))));   // index into fits
var aheadLabels = Enumerable.Range(trainSize, horizon).Select(m => months[m]).ToArray();
display(CourseCharts.Figure("From the end of 1956: 48 months forecast without seeing them", "month", "passengers (thousands)",
    CourseCharts.Line(months[..trainSize], y[..trainSize], "known months", CourseCharts.Colours.Data),
    CourseCharts.Line(aheadLabels, y[trainSize..], "what happened", CourseCharts.Colours.Data, dotted: true),
    CourseCharts.Line(aheadLabels, lstmAhead[nearestMedian], $"LSTM, seed {fits[nearestMedian].Seed} (nearest the median at 48 months)", CourseCharts.Colours.Train),
    CourseCharts.Line(aheadLabels, linearAhead, "linear autoregression", CourseCharts.Colours.Extra2),
    CourseCharts.Line(aheadLabels, recursiveBenchmarks[4].Forecast, "seasonal naive with 1956's growth", CourseCharts.Colours.Extra1, dotted: true),
    CourseCharts.Line(aheadLabels, recursiveBenchmarks[1].Forecast, "seasonal naive (1956 repeated)", CourseCharts.Colours.Extra3, dotted: true)));

// ## Everything on the same months
//
// The benchmarks are now scored on the test months, next to everything else; so are chapter 3's two models, retrained
// here with chapter 3's code and settings (`CreateWindows`, `AirModel` and `TrainEpoch`: raw counts, 50 hidden units,
// Adam on mini-batches of 8, seed 1), on the same 47 forecasts — for lookback 4 the windows that end in the months just
// before each forecast.

// ── cell 41 ──
double[] Chapter3Forecast(int lookback)
{
    var (xTrain3, yTrain3) = CreateWindows(airline.Values[..trainSize], lookback);
    var (xTest3, _) = CreateWindows(airline.Values[(testMonths[0] - lookback)..], lookback);   // last steps predict months 97–143
    manual_seed(1);                                    // chapter 3's settings: seed 1, 50 hidden units, batches of 8
    var model = new AirModel(50);
    var optimizer = optim.Adam(model.parameters());
    var batches = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xTrain3, yTrain3), 8,
        new EpochShuffler(xTrain3.shape[0], 1), disposeDataset: false);
    var progress = display($"chapter 3, lookback {lookback}: training…");
    for (var epoch = 1; epoch <= chapter3Epochs; epoch++)
    {
        TrainEpoch(model, optimizer, batches);
        if (epoch % 100 == 0 || epoch == chapter3Epochs) progress.Update($"chapter 3, lookback {lookback}: epoch {epoch:N0}/{chapter3Epochs:N0}");
    }
    model.eval();
    using var noGrad = no_grad();
    return model.call(xTest3)[.., -1, 0].data<float>().Select(v => (double)v).ToArray();
}
var chapter3Lookback1 = Chapter3Forecast(1);
var chapter3Lookback4 = Chapter3Forecast(4);
var (chapter3Lookback1Rmse, chapter3Lookback4Rmse) = (Rmse(chapter3Lookback1, truth), Rmse(chapter3Lookback4, truth));

// ── cell 42 ──
var benchmarkForecasts = benchmarks.ToDictionary(b => b.Name, b => testMonths.Select(b.Forecast).ToArray());
var benchmarkRmse = benchmarks.Select(b => Rmse(benchmarkForecasts[b.Name], truth)).ToArray();
(string Method, double Rmse, string Detail)[] comparison =
[
    ("chapter 3's LSTM, lookback 1", chapter3Lookback1Rmse, "raw counts"),
    ("chapter 3's LSTM, lookback 4", chapter3Lookback4Rmse, "raw counts"),
    .. benchmarks.Select((b, i) => (b.Name, benchmarkRmse[i], "no training")),
    ($"linear autoregression (window {chosenLinear.Window})", linearRmse, $"penalty {chosenLinear.Penalty}"),
    ($"this chapter's LSTM ({chosen}), median over {fits.Count} seeds", lstmMedianRmse, $"mean {lstmMeanRmse:F2} ± {lstmSpread:F2}"),
];
display(comparison.OrderByDescending(c => c.Rmse).Select(c => new { method = c.Method, testRmse = Math.Round(c.Rmse, 2), note = c.Detail }));

// ── cell 43 ──
var nearestMedianOneStep = fits[Array.IndexOf(seedRmse, seedRmse.MinBy(r => Math.Abs(r - lstmMedianRmse)))];
display(CourseCharts.Figure("One month ahead, 1957–1960: every method against the data", "month", "passengers (thousands)",
    CourseCharts.Line(testLabels, truth, "data", CourseCharts.Colours.Data, width: 3),
    CourseCharts.Line(testLabels, chapter3Lookback1, "chapter 3, lookback 1", CourseCharts.Colours.Extra3, dotted: true),
    CourseCharts.Line(testLabels, chapter3Lookback4, "chapter 3, lookback 4", CourseCharts.Colours.Cycle[6], dotted: true),
    CourseCharts.Line(testLabels, benchmarkForecasts["naive (persistence)"], "naive (persistence)", CourseCharts.Colours.Cycle[7], dotted: true),
    CourseCharts.Line(testLabels, benchmarkForecasts["seasonal naive with this year's growth"], "seasonal naive with this year's growth", CourseCharts.Colours.Extra1),
    CourseCharts.Line(testLabels, linearForecast, "linear autoregression", CourseCharts.Colours.Extra2),
    CourseCharts.Line(testLabels, LstmOneStep(nearestMedianOneStep), $"this chapter's LSTM (seed {nearestMedianOneStep.Seed}, nearest the median)", CourseCharts.Colours.Train)));

// ## The verdict
//
// The cell below compares the LSTM with the strongest benchmark of each task — the one with the lowest test RMSE, the
// hardest one to beat — and with the linear autoregression. Its sentences are computed from the numbers above; nothing in
// them was written before the run.

// ── cell 45 ──
string Against(double ours, string name, double theirs) => $"{(ours < theirs ? "beats" : "does NOT beat")} {name} ({theirs:F2})";
var strongestOneStep = benchmarks.Select((b, i) => (b.Name, Rmse: benchmarkRmse[i])).MinBy(b => b.Rmse);
var oneStepVerdict = $"One month ahead, the LSTM's median over {fits.Count} seeds ({lstmMedianRmse:F2}) "
    + $"{Against(lstmMedianRmse, $"the strongest benchmark, the {strongestOneStep.Name}", strongestOneStep.Rmse)}, "
    + $"and {Against(lstmMedianRmse, "the linear autoregression", linearRmse)}; {seedRmse.Count(r => r < strongestOneStep.Rmse)} of {fits.Count} seeds beat the benchmark.";
string RecursiveVerdict(int monthsAhead)
{
    var strongest = recursiveBenchmarks.MinBy(b => RmseAhead(b.Forecast, monthsAhead));
    var (perSeed, benchmark) = (LstmRmseAhead(monthsAhead), RmseAhead(strongest.Forecast, monthsAhead));
    return $"{monthsAhead} months ahead, the LSTM's median over {fits.Count} seeds ({Median(perSeed):F2}) "
        + $"{Against(Median(perSeed), $"the strongest benchmark, the {strongest.Name}", benchmark)}, "
        + $"and {Against(Median(perSeed), "the linear autoregression", RmseAhead(linearAhead, monthsAhead))}; {perSeed.Count(r => r < benchmark)} of {fits.Count} seeds beat the benchmark.";
}
var verdict = string.Join("\n", oneStepVerdict, RecursiveVerdict(12), RecursiveVerdict(48));
Console.WriteLine(verdict);

// ## How to read the numbers
//
// Whatever the verdict says on your run, these hold:
//
// - **What the LSTM can add is small by construction.** After the log and the two differences the model predicts
//   $d_t$, and predicting $d_t = 0$ *is* the seasonal naive with this year's growth. All a model can add is whatever
//   structure $d$ has from month to month — the autocorrelations measured its linear part — learned from a few dozen
//   training windows. The linear autoregression learns the linear part; where the LSTM does not beat it, the LSTM's
//   non-linearity bought nothing on this series, and the simpler model is the one to use.
// - **Nothing was chosen on the test months.** The settings, the epoch to keep, the autoregression's window and penalty
//   and the scaler all came from the training months and the validation year. The test months were scored once. The
//   settings table shows every candidate's validation loss; where they are close, a different grid or other seeds could
//   choose differently, which is one more reason to report several seeds.
// - **Recursive forecasts compound errors.** Fed its own predictions, a small error in $d$ becomes a wrong growth rate,
//   and a wrong growth rate compounds for four years; which seeds drift is luck. That is why the recursive results are
//   reported as the median and the number of seeds that beat the benchmark: one runaway seed moves the mean but not the
//   median. The recursive benchmark is strong where growth is steady, since it assumes the last known year's growth
//   continues.
// - **A benchmark that wins is the answer, not an embarrassment.** If a one-line formula forecasts this series as well
//   as the LSTM, the formula is the better model: it is cheaper, it cannot overfit, and it explains itself.
//
// The lessons carry beyond this series:
//
// - **Start with the benchmarks**, for every task you report: one step ahead and at every horizon.
// - **Transform the series so the model learns what the benchmarks miss**: logs for multiplicative seasons, seasonal and
//   first differences for season and trend, scaling fitted on the training data only.
// - **Hold out a validation block at the end of the training data**: stop on it, keep the best epoch's weights, and
//   choose the settings on it — never on the test set.
// - **Compare with a linear model on the same inputs** before crediting the network.
// - **Report several seeds**: the mean and spread, the median, and how many seeds beat the benchmark.

// ## Summary
//
// - Benchmarks first: five one-line forecasts, scored on the same months as every model, one step and years ahead.
// - The log turns the growing swing into a nearly constant one; the seasonal and first differences remove season and
//   trend; what remains is what the model should learn, and predicting zero there reproduces the seasonal naive with
//   this year's growth — one step ahead and recursively.
// - A validation year decides when to stop and which settings to keep; the test months are scored once; several seeds
//   make the result a measurement.

// ## Exercises
//
// Each exercise has a cell for your answer and a check cell after it: run both, and the check says whether your answer
// holds or which condition does not, yet. Worked solutions are in [solutions/06-baselines-and-transforms.md](../solutions/06-baselines-and-transforms.md)
// — try first.
//
// ### Exercise 6.1 — A scale-free error: MASE
//
// An RMSE in thousands of passengers cannot be compared across series. Hyndman and Koehler's **mean absolute scaled
// error** (2006) divides a forecast's mean absolute error by the one the naive forecast makes on the training months;
// for seasonal data Hyndman & Athanasopoulos scale by the **seasonal** naive's instead, the version here: $\text{MASE} = \frac{\frac{1}{n}\sum |y_t - \hat y_t|}{\frac{1}{T-12}\sum_{t=12}^{T-1} |y_t - y_{t-12}|}$,
// with $T$ = `validationStart` (the training months are 0 … $T-1$). Below 1, a forecast beats what the seasonal naive did in
// training. Write `Mase`.

// ── cell 49 ──
// Exercise 6.1: your answer. The mean absolute error of forecast against actual, divided by the seasonal naive's on months 12 … validationStart − 1.
double Mase(IReadOnlyList<double> forecast, IReadOnlyList<double> actual) => throw new NotImplementedException("your answer");

// ── cell 50 ──
var seasonalNaiveInTraining = Enumerable.Range(12, validationStart - 12).Select(t => y[t - 12]).ToArray();
display(Exercise.Check("6.1",
    ("a perfect forecast scores 0", () => Mase(truth, truth) == 0),
    ("the seasonal naive scores exactly 1 on the training months it is scaled by", () => Math.Abs(Mase(seasonalNaiveInTraining, y[12..validationStart]) - 1) < 1e-12),
    ("twice the errors score twice as much", () => Math.Abs(Mase(truth.Select(a => a + 20).ToArray(), truth) - 2 * Mase(truth.Select(a => a + 10).ToArray(), truth)) < 1e-12),
    ("the seasonal naive with this year's growth scores below persistence on the test months",
        () => Mase(benchmarkForecasts["seasonal naive with this year's growth"], truth) < Mase(benchmarkForecasts["naive (persistence)"], truth))));

// ### Exercise 6.2 — A GRU in place of the LSTM
//
// A GRU has two gates instead of the LSTM's three and no separate cell state, so it has fewer weights. Write
// `SeasonalGru`, `SeasonalLstm` with `nn.GRU` in place of `nn.LSTM` (TorchSharp's `GRU.call` returns the output and
// the last hidden state). Then, if you like, train it: in `Train`, build a `SeasonalGru` instead of a `SeasonalLstm`
// (`Fit` keeps any `nn.Module<Tensor, Tensor>`), run `Train(chosen, 1, Console.WriteLine)` and compare its best
// validation loss with the LSTM's — on the validation year, not the test months.

// ── cell 52 ──

// ── cell 53 ──
long Weights(nn.Module model) => model.parameters().Sum(p => p.numel());
display(Exercise.Check("6.2",
    ("it maps a batch of windows (4, 24, 1) to one z each, (4, 1)", () =>
    {
        using var scope = NewDisposeScope();
        return new SeasonalGru(16).call(zeros(4, 24, 1)).shape.SequenceEqual(new long[] { 4, 1 });
    }),
    ("it holds one GRU layer", () => new SeasonalGru(16).modules().Count(m => m is GRU) == 1),
    ("its weights are a GRU's, 3 × 16 × (1 + 16 + 2), and a Linear layer's, 16 + 1", () => Weights(new SeasonalGru(16)) == 3 * 16 * (1 + 16 + 2) + 16 + 1),
    ("it has fewer weights than the LSTM of the same size", () => Weights(new SeasonalGru(16)) < Weights(new SeasonalLstm(16)))));

// ### Exercise 6.3 — Which autocorrelations are more than noise?
//
// Even a series of pure noise has autocorrelations that are not exactly zero. For $n$ values of white noise they lie
// within $\pm 2/\sqrt{n}$ about 95 % of the time, the band a correlogram draws. Write `SignificantLags`: the lags
// $1 \dots$ `maxLag` at which the chapter's `Autocorrelation` of `series` lies outside that band, in increasing order.

// ── cell 55 ──
// Exercise 6.3: your answer. The lags 1 … maxLag whose autocorrelation lies outside ±2/√n.
int[] SignificantLags(double[] series, int maxLag) => [];

// ── cell 56 ──
var band = 2 / Math.Sqrt(trainD.Length);
var lags = SignificantLags(trainD, 24);
display(Exercise.Check("6.3",
    ("the lags this chapter discusses, 1 and 12, are outside the band for d", () => lags.Contains(1) && lags.Contains(12)),
    ("every lag returned is outside the band", () => lags.All(k => Math.Abs(Autocorrelation(trainD, k)) > band)),
    ("every lag outside the band is returned, once, in increasing order",
        () => lags.SequenceEqual(Enumerable.Range(1, 24).Where(k => Math.Abs(Autocorrelation(trainD, k)) > band)))));

// This is the last chapter. Back to the [course overview](../README.md), or to
// [chapter 3](03-airline-windowing.ipynb) to see the first attempt again with these numbers in mind.

// ── the notebook's type declarations (a C# program declares its types after its statements) ──

record WindowSet(int Window, Tensor XTrain, Tensor YTrain, Tensor XValidation, Tensor YValidation, Tensor XTest);

class SeasonalLstm : nn.Module<Tensor, Tensor>
{
    private readonly LSTM lstm;
    private readonly Linear head;

    public SeasonalLstm(int hiddenSize) : base(nameof(SeasonalLstm))
    {
        lstm = nn.LSTM(inputSize: 1, hiddenSize: hiddenSize, batchFirst: true);
        head = nn.Linear(hiddenSize, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var (output, _, _) = lstm.call(x);          // (batch, window, hidden)
        return head.call(output[.., -1, ..]);       // the last step's state → z of the next month: (batch, 1)
    }
}

record Setting(int Window, int HiddenSize, double LearningRate)
{
    public override string ToString() => $"window {Window}, hidden {HiddenSize}, learning rate {LearningRate.ToString(CultureInfo.InvariantCulture)}";
}

record Fit(Setting Setting, int Seed, nn.Module<Tensor, Tensor> Model, int BestEpoch, int Epochs, double BestValidationLoss, List<double> TrainLoss, List<double> ValidationLoss);

// Exercise 6.2: your answer. A GRU reads the window; a Linear layer maps its last step's state to z: (batch, 1).
class SeasonalGru : nn.Module<Tensor, Tensor>
{
    public SeasonalGru(int hiddenSize) : base(nameof(SeasonalGru)) => RegisterComponents();

    public override Tensor forward(Tensor x) => throw new NotImplementedException("your answer");
}
