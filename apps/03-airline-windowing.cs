// 03-airline-windowing: generated from notebooks/03-airline-windowing.ipynb by NotebookRunner (--export-apps); do not edit.
// Run it with: dotnet run apps/03-airline-windowing.cs [--parameter value ...] [--out DIR]
#:package TorchSharp-cpu@0.107.0
#:package Microsoft.Data.Analysis@0.23.1
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
using Microsoft.Data.Analysis;
using LstmNotebooks.Charts;
using LstmNotebooks.Data;
using LstmNotebooks.Exercises;
using LstmNotebooks.Runtime;
using LstmNotebooks.Training;

var app = NotebookApp.AppHost.Start("03-airline-windowing", args);   // runs in this file's folder, as the notebook runs in its own

// # Chapter 3 — Airline passengers: windows, `nn.LSTM` and RMSE curves
//
// Now a real series: the number of international airline passengers per month from January 1949 to December 1960, in
// thousands — 144 numbers with a clear upward trend and a summer peak every year. We teach an `nn.LSTM` to predict
// the next month from the recent months, the standard first exercise in time-series deep learning.
//
// **What you will learn**
//
// - to load and look at a series with Microsoft.Data.Analysis `DataFrame` and a chart;
// - why a time series is split in time order and never shuffled before splitting;
// - how to cut a series into overlapping **windows** of shape `(windows, lookback, 1)` — and the shape mistake that
//   silently changes what the LSTM sees;
// - to train `nn.LSTM` + `Linear` with `optim.Adam` on mini-batches from a `DataLoader`, reshuffled every epoch;
// - to read train and test **RMSE** curves, to score the forecast you will use against the simplest one, and what a
//   longer lookback can buy.

// ## Set-up

// ── cell 3 ──
display(TorchRuntime.EnsureAvailable().ToString());

// ## Parameters
//
// The settings of the original PyTorch tutorial: 2000 epochs of Adam on mini-batches of 8, an LSTM with 50 hidden
// units, two thirds of the months for training.

// ── cell 5 (parameters) ──
var epochs = 2000;           // passes over the training windows
var reportEvery = 100;       // evaluate train and test RMSE every this many epochs
var batchSize = 8;
var hiddenSize = 50;
var trainFraction = 0.67;
var seed = 1;                // weight initialisation and mini-batch order
var dataPath = "../data/airline-passengers.csv";
// Any of the parameters above can be given on the command line, e.g. --epochs value:
epochs = app.Get("epochs", epochs);
reportEvery = app.Get("reportEvery", reportEvery);
batchSize = app.Get("batchSize", batchSize);
hiddenSize = app.Get("hiddenSize", hiddenSize);
trainFraction = app.Get("trainFraction", trainFraction);
seed = app.Get("seed", seed);
dataPath = app.Get("dataPath", dataPath);
app.Check();

// ## The data
//
// The helper library reads the CSV (and reports a malformed file by line and column) into a `DataFrame` with two
// columns, `Month` and `Passengers`.

// ── cell 7 ──
var airline = AirlinePassengers.Load(dataPath);
DataFrame frame = airline.ToDataFrame();
Console.WriteLine($"{frame.Rows.Count} months, {airline.Months[0]} to {airline.Months[^1]}");
Console.WriteLine($"passengers (thousands): min {frame["Passengers"].Min()}, max {frame["Passengers"].Max()}, mean {frame["Passengers"].Mean():F1}");
display(frame.Head(5));

// ── cell 8 ──
display(CourseCharts.Figure("International airline passengers, 1949–1960", "month", "passengers (thousands)",
    CourseCharts.Line(airline.Months, airline.Values, "passengers", CourseCharts.Colours.Data)));

// Two patterns stand out: a **trend** and **seasonality**, with the seasonal swing growing along with the trend. One
// row per year puts numbers on them:

// ── cell 10 ──
string MonthName(int month) => System.Globalization.CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(month);
var years = Enumerable.Range(0, airline.Values.Length / 12).Select(y =>
{
    var months = airline.Values[(12 * y)..(12 * y + 12)];   // January to December
    return new
    {
        year = airline.Months[12 * y][..4],
        mean = Math.Round(months.Average(), 1),
        highest = MonthName(Array.IndexOf(months, months.Max()) + 1),
        lowest = MonthName(Array.IndexOf(months, months.Min()) + 1),
        swing = months.Max() - months.Min(),
    };
}).ToArray();
Console.WriteLine($"highest month July or August: {years.Count(y => y.highest is "Jul" or "Aug")} of {years.Length} years; "
    + $"lowest month November: {years.Count(y => y.lowest == "Nov")}, January or February: {years.Count(y => y.lowest is "Jan" or "Feb")}");
display(years);

// The yearly mean grows almost fourfold from the first row to the last. Every year's highest month is July or August,
// but the lowest is November in some years and January or February in others — the line above the table counts
// them — and the swing from a year's lowest month to its highest grows with the level.
//
// ## A train/test split in time order
//
// We train on the first 67 % of the months and test on the rest. The split is by time, and nothing is shuffled
// before it: the test months must lie in the *future* of the training months, as they would when the model is used.
// Shuffling first would let the model train on 1958 and be "tested" on 1957 — an easy interpolation that says
// nothing about forecasting.

// ── cell 12 ──
float[] timeseries = airline.Values;
var trainSize = (int)(timeseries.Length * trainFraction);
float[] train = timeseries[..trainSize];
float[] test = timeseries[trainSize..];
Console.WriteLine($"train: {train.Length} months ({airline.Months[0]} – {airline.Months[trainSize - 1]})");
Console.WriteLine($"test:  {test.Length} months ({airline.Months[trainSize]} – {airline.Months[^1]})");
Console.WriteLine($"highest training month: {train.Max()}; test months above it: {test.Count(v => v > train.Max())} of {test.Length}");

// ## Windows
//
// An LSTM learns from sequences, so we cut the series into overlapping windows of `lookback` months. For every start
// $i$, the **features** are the months $i, \dots, i+\text{lookback}-1$ and the **targets** are the same window shifted
// one month ahead, $i+1, \dots, i+\text{lookback}$. The model therefore predicts the next month at *every* time step
// of the window, not only at the end.
//
// A series of $n$ points gives $n - \text{lookback}$ windows. Tensors for an LSTM with `batchFirst: true` have the
// shape `(samples, time steps, features)`; our series has one feature per time step, so both tensors are
// `(windows, lookback, 1)`.
//
// **Cells marked `// @save`.** Chapter 6 comes back to this data with this chapter's models. A cell whose first line
// is `// @save` — the windowing function below, the model and the training loop — is compiled into the helper library
// exactly as it is written here (as `LstmNotebooks.Chapters.Chapter03`), so a later chapter calls the code you read in
// this one, never a second copy: the d2l book's `#@save`, in C#. A test regenerates the library's file from these cells
// and fails if the two differ.

// ── cell 14 ──
// @save
/// <summary>Overlapping windows of a series: features series[i .. i+lookback), targets one step later.</summary>
(Tensor Features, Tensor Targets) CreateWindows(float[] series, int lookback)
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

// ── cell 15 ──
// @save
/// <summary>A tensor's shape as "(a, b, c)", for printing; chapters 4 and 5 use it too.</summary>
string Shape(Tensor t) => $"({string.Join(", ", t.shape)})";

// ── cell 16 ──
var (xTrain1, yTrain1) = CreateWindows(train, lookback: 1);
var (xTest1, yTest1) = CreateWindows(test, lookback: 1);
Console.WriteLine($"lookback 1: train features {Shape(xTrain1)}, targets {Shape(yTrain1)}");
Console.WriteLine($"lookback 1: test features  {Shape(xTest1)}, targets {Shape(yTest1)}");

// **The shape mistake.** The PyTorch original builds windows from a 1-D array, and the tutorial has to stress that the
// series must first become a column of shape `(n, 1)`. Otherwise each window is a plain row of numbers and the
// stacked tensor is `(95, 1)` — two dimensions, not three:

// ── cell 18 ──
var mistake = tensor(train[..^1]).reshape(trainSize - 1, 1);   // windows of a 1-D series, lookback 1, no feature axis
Console.WriteLine($"windows without a feature axis: {Shape(mistake)}");
var probe = nn.LSTM(1, 4, batchFirst: true);
try { probe.call(mistake); Console.WriteLine("nn.LSTM accepted the 2-D input"); }
catch (Exception e) { Console.WriteLine($"nn.LSTM refuses it: {e.Message.Split('\n')[0]}"); }
var wrongOrder = mistake.reshape(1, trainSize - 1, 1);   // three axes, in the wrong order: one long sequence
var (silent, _, _) = probe.call(wrongOrder);
Console.WriteLine($"reshaped to {Shape(wrongOrder)} it runs without complaint: output {Shape(silent)}");

// TorchSharp's `nn.LSTM` refuses the 2-D tensor: it wraps libtorch's C++ module, which has no unbatched mode. (Python's
// `nn.LSTM` would not complain: it reads a 2-D input as *one unbatched sequence* of shape `(time, features)`.) The
// mistake that does run silently is a reshape that keeps three axes in the wrong order: `(1, 95, 1)` instead of
// `(95, 1, 1)` is a single 95-step sequence — a different model from the one we meant, trained on different data, with
// no error to warn us. Checking shapes at every step is a habit worth having.
//
// ## The model
//
// An `nn.LSTM` with one input feature and 50 hidden units reads each window; a `Linear(50, 1)` turns the hidden state
// of **every time step** into a prediction, so the output has the window's shape `(batch, lookback, 1)` and is
// compared with the shifted targets.
//
// An alternative is to keep only the last time step — `output[.., -1, ..]` — and predict a single next value per
// window. That is the natural choice when only the end of the window matters, but with a short series it throws away
// most of the training signal: a window of 4 months gives 4 targets here, and 1 there.

// ── cell 20 ──

// ## Training with Adam on mini-batches
//
// Each epoch walks through the training windows in a new random order, 8 at a time — TorchSharp's standard tools,
// as in the PyTorch original:
//
// - `torch.utils.data.TensorDataset(xTrain, yTrain)` pairs each window with its targets;
// - `torch.utils.data.DataLoader(dataset, batchSize, shuffler)` stacks 8 of them into a batch, in the order the
//   shuffler gives. PyTorch's `DataLoader(shuffle=True)` draws a new order every epoch; TorchSharp 0.107's
//   `shuffle: true, seed: s` replays **one** order in every epoch (and without a seed the order is not reproducible).
//   The helper library's `EpochShuffler(count, seed)` is the sampler that fixes it: every pass over it draws a fresh
//   permutation from one seeded generator — a new order each epoch, the same orders in every run of this notebook.
//   It is an ordinary `IEnumerable<long>` of indices: any order you can write as one works there;
// - `optim.Adam(model.parameters())` adapts a step size for every weight from running averages of its gradients; its
//   default learning rate, 0.001, works here.
//
// The cell below shows the difference on six indices, one batch of six per epoch, over two epochs:

// ── cell 22 ──
var indices = torch.utils.data.TensorDataset(arange(6));
var seededShuffle = torch.utils.data.DataLoader(indices, 6, shuffle: true, seed: 1, disposeDataset: false);
var epochShuffler = torch.utils.data.DataLoader(indices, 6, new EpochShuffler(6, 1), disposeDataset: false);
for (var epoch = 1; epoch <= 2; epoch++)
{
    foreach (var batch in seededShuffle) Console.WriteLine($"epoch {epoch}, shuffle: true, seed: 1   {string.Join(" ", batch[0].data<long>().ToArray())}");
    foreach (var batch in epochShuffler) Console.WriteLine($"epoch {epoch}, EpochShuffler(6, 1)     {string.Join(" ", batch[0].data<long>().ToArray())}");
}

// These are the types you will keep using: schedulers, `state_dict` checkpoints and every TorchSharp example build on
// them.
//
// We report the **root mean squared error** — in thousands of passengers, the unit of the data — on the training and
// test windows before training and every `reportEvery` epochs. Evaluation runs in `eval()` mode under `no_grad()`.
//
// One epoch is the loop every TorchSharp training script has: for each batch, clear the gradients, run the model,
// compute the loss, backpropagate, step the optimizer — each step in a dispose scope, which frees its tensors at once
// instead of leaving them to the garbage collector. The whole experiment is one function around it, so that we can
// run it for two lookbacks; two small helpers measure a model on the way.

// ── cell 24 ──
// @save
/// <summary>One epoch: for each mini-batch, one optimizer step on the mean squared error.</summary>
void TrainEpoch(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, IEnumerable<IList<Tensor>> batches)
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

// ── cell 25 ──
/// <summary>The RMSE over every time step of every window (the training loss's metric), in the data's unit.</summary>
double WindowRmse(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
{
    model.eval();
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    return Math.Sqrt(nn.functional.mse_loss(model.call(x), y).item<float>());
}
/// <summary>Each window's prediction at its last time step: the forecast made from the whole window.</summary>
float[] LastStepPredictions(nn.Module<Tensor, Tensor> model, Tensor x)
{
    model.eval();
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    return model.call(x)[.., -1, 0].data<float>().ToArray();
}

// ── cell 26 ──
Experiment RunExperiment(int lookback)
{
    var (xTrain, yTrain) = CreateWindows(train, lookback);
    var (xTest, yTest) = CreateWindows(test, lookback);

    manual_seed(seed);
    var model = new AirModel(hiddenSize);
    var optimizer = optim.Adam(model.parameters());
    var dataset = torch.utils.data.TensorDataset(xTrain, yTrain);
    var batches = torch.utils.data.DataLoader(dataset, batchSize, new EpochShuffler(xTrain.shape[0], seed), disposeDataset: false);

    var result = new Experiment(lookback, new(), new(), new(), [], []);
    var progress = display($"lookback {lookback}: training…");
    for (var epoch = 0; epoch <= epochs; epoch++)
    {
        if (epoch > 0) TrainEpoch(model, optimizer, batches);
        if (epoch % reportEvery != 0 && epoch != epochs) continue;   // measured before training and every reportEvery epochs
        result.Epochs.Add(epoch);
        result.TrainRmse.Add(WindowRmse(model, xTrain, yTrain));
        result.TestRmse.Add(WindowRmse(model, xTest, yTest));
        progress.Update($"lookback {lookback}, epoch {epoch:N0}/{epochs:N0}: train RMSE {result.TrainRmse[^1]:F2}, test RMSE {result.TestRmse[^1]:F2}");
    }
    return result with { TrainPredictions = LastStepPredictions(model, xTrain), TestPredictions = LastStepPredictions(model, xTest) };
}

// ### Lookback 1
//
// Each window is a single month: the model sees this month and predicts the next.

// ── cell 28 ──
var lookback1 = RunExperiment(1);
display(lookback1.Epochs.Select((epoch, i) => new { epoch, trainRmse = Math.Round(lookback1.TrainRmse[i], 2), testRmse = Math.Round(lookback1.TestRmse[i], 2) }));

// ── cell 29 ──
display(CourseCharts.Figure("RMSE during training, lookback 1", "epoch", "RMSE (thousands of passengers)",
    CourseCharts.Line(lookback1.Epochs, lookback1.TrainRmse, "train RMSE", CourseCharts.Colours.Train),
    CourseCharts.Line(lookback1.Epochs, lookback1.TestRmse, "test RMSE", CourseCharts.Colours.Test)));

// The predictions, each drawn at the month it predicts: window $i$ ends at month $i + \text{lookback} - 1$, so its last
// step predicts month $i + \text{lookback}$. Training predictions are red, test predictions green. The chart is a small
// function of this chapter's data:

// ── cell 31 ──
/// <summary>The series, and each window's last-step prediction drawn at the month it predicts.</summary>
PlotlyFigure PredictionOverlay(string title, Experiment e)
{
    var trainMonths = airline.Months.Skip(e.Lookback).Take(e.TrainPredictions.Length);   // window i predicts month i + lookback
    var testMonths = airline.Months.Skip(trainSize + e.Lookback).Take(e.TestPredictions.Length);
    return CourseCharts.Figure(title, "month", "passengers (thousands)",
        CourseCharts.Line(airline.Months, timeseries, "data", CourseCharts.Colours.Data),
        CourseCharts.Line(trainMonths, e.TrainPredictions, "train predictions", CourseCharts.Colours.Train),
        CourseCharts.Line(testMonths, e.TestPredictions, "test predictions", CourseCharts.Colours.Test));
}
display(PredictionOverlay("Predictions with lookback 1", lookback1));

// With one month of context, all the model can learn is a function from this month to the next. Look at the chart for
// two things: whether its curve follows the data one step late — "next month ≈ this month, nudged" — and how it fares
// in the test years, which reach above anything in training (the split cell printed how many test months do).
//
// ### Lookback 4
//
// Now each window holds four months, and the model predicts the next month at each of the four steps.

// ── cell 33 ──
var lookback4 = RunExperiment(4);
display(PredictionOverlay("Predictions with lookback 4", lookback4));

// ### Scoring on the test months
//
// The curves measured the test months all through training, but only to draw them: nothing in this chapter is chosen
// by looking at the test months. The epochs, the hidden size and both lookbacks are the original tutorial's, fixed in
// advance, and the scores below are the models as they stand after the last epoch. (Picking the epoch where the test
// curve is lowest would be choosing on the test data — that is what a validation set is for.)
//
// Two RMSEs answer two questions. The one in the curves, `…EveryStep` below, is the training loss's metric: it averages
// over every time step of every window. For lookback 4 that mixes in predictions made from only 1, 2 or 3 months of
// context, and overlapping windows count most months up to four times. The forecast a user of the model gets is the
// last step's, made from the whole window: `testRmseLastStep` counts each month it predicts once. Beside it is the
// simplest forecast, *persistence* — "next month is like this month" — on the same months.

// ── cell 35 ──
double Rmse(float[] predicted, float[] actual) => Math.Sqrt(predicted.Zip(actual, (p, a) => ((double)p - a) * ((double)p - a)).Average());
// A window's last step predicts one of the months test[lookback..]; persistence predicts each from the month before.
double PersistenceRmse(int lookback) => Rmse(test[(lookback - 1)..^1], test[lookback..]);
var scores = new[] { lookback1, lookback4 }.Select(e => new Score(e.Lookback, e.TrainRmse[^1], e.TestRmse[^1],
    Rmse(e.TestPredictions, test[e.Lookback..]), PersistenceRmse(e.Lookback))).ToArray();
foreach (var s in scores)
    Console.WriteLine($"lookback {s.Lookback}: last-step test RMSE {s.TestRmseLastStep:F2}, "
        + $"{(s.TestRmseLastStep < s.PersistenceRmseLastStep ? "below" : "not below")} persistence's {s.PersistenceRmseLastStep:F2} "
        + $"on the same {test.Length - s.Lookback} months");
// Lookback 1 predicts three more months than lookback 4: compare the two on the months both predict.
var sharedMonths = test.Length - 4;
var sharedRmse1 = Rmse(lookback1.TestPredictions[^sharedMonths..], test[4..]);
var sharedRmse4 = Rmse(lookback4.TestPredictions, test[4..]);
Console.WriteLine($"on the {sharedMonths} test months both predict: lookback 1 {sharedRmse1:F2}, lookback 4 {sharedRmse4:F2} — "
    + (sharedRmse4 < sharedRmse1 ? "the longer window did better" : "the longer window did not do better"));

// ── cell 36 ──
display(scores.Select(s => new
{
    lookback = s.Lookback,
    trainRmseEveryStep = Math.Round(s.TrainRmseEveryStep, 2),
    testRmseEveryStep = Math.Round(s.TestRmseEveryStep, 2),
    testRmseLastStep = Math.Round(s.TestRmseLastStep, 2),
    persistenceRmseLastStep = Math.Round(s.PersistenceRmseLastStep, 2),
}));
display(CourseCharts.Figure("Test RMSE: lookback 1 versus 4", "epoch", "test RMSE, every step (thousands of passengers)",
    CourseCharts.Line(lookback1.Epochs, lookback1.TestRmse, "lookback 1", CourseCharts.Colours.Data),
    CourseCharts.Line(lookback4.Epochs, lookback4.TestRmse, "lookback 4", CourseCharts.Colours.Extra1)));

// **What a longer window can buy.** With four months of context the LSTM can see *direction* — rising into summer or
// falling into autumn — and not only the current level. And because the loss uses the target at every time step, one
// window of four months contributes four supervised predictions, each with a different amount of history (1, 2, 3
// and 4 months). Whether that paid off here is the scoring cell's last line, on the months both models predict: one
// seed and one split, a thin basis for a general verdict.
//
// **And compare with the simplest forecast.** A test RMSE means nothing until it is set against a forecast that needs
// no training; the scoring cell's first lines set each model's last step against persistence on the same months.
// Persistence is a stronger benchmark than it looks on a trending series: it follows the level wherever it goes, while
// a model trained on raw counts must extrapolate to test years above anything it saw in training.
// [Chapter 6](06-baselines-and-transforms.ipynb) sets this model against stronger benchmarks still, and tries the
// usual remedies.
//
// Two limits remain. The model is trained on raw passenger counts, so the test years push it outside the
// range it has seen; scaling the series, or modelling the change from month to month, is the usual remedy. And a
// window of four months cannot see last year's summer: a lookback of 12 or more lets the LSTM use the seasonality.
//
// ## Summary
//
// - Split time series by time; never shuffle before splitting.
// - Windows are `(windows, lookback, 1)`: samples, time steps, features. Forgetting the feature axis gives a 2-D
//   tensor, which TorchSharp's `nn.LSTM` refuses; three axes in the wrong order run silently as another model.
// - `nn.LSTM(batchFirst: true)` + `Linear` on every time step, trained with Adam on mini-batches reshuffled every
//   epoch; predictions come from each window's last step.
// - RMSE in the data's unit makes curves readable. Report the forecast you will use — each window's last step — on
//   the test months, beside persistence on the same months; choose nothing on them.
// - A longer lookback lets the model see direction, and every-step targets give it more signal.

// ## Exercises
//
// Each exercise has a cell for your answer and a check cell after it: run both, and the check says whether your answer
// holds or which condition does not, yet. Worked solutions are in [solutions/03-airline-windowing.md](../solutions/03-airline-windowing.md)
// — try first.
//
// ### Exercise 3.1 — Windows with a stride
//
// `CreateWindows` starts a window at every month, so neighbouring windows share all but one month. A **stride** of $s$
// starts one every $s$ months instead — at months $0, s, 2s, \dots$, as long as the window and the month after it fit
// in the series — and a stride equal to the lookback gives windows that do not overlap. Write `CreateStridedWindows`,
// with the shapes of `CreateWindows`: features and targets `(windows, lookback, 1)`, the targets one month later. The
// starter ignores the stride.

// ── cell 39 ──
// Exercise 3.1: your answer. Windows starting every stride months: features series[i .. i+lookback), targets one month later.
(Tensor Features, Tensor Targets) CreateStridedWindows(float[] series, int lookback, int stride) =>
    CreateWindows(series, lookback);   // a first attempt: every month, whatever the stride

// ── cell 40 ──
float[] Flat(Tensor t) => t.reshape(-1).data<float>().ToArray();
int WindowCount(int lookback, int stride) => (train.Length - lookback - 1) / stride + 1;   // starts 0, s, 2s, … ≤ n − lookback − 1
display(Exercise.Check("3.1",
    ("stride 1 gives CreateWindows' windows", () =>
    {
        var (strided, stridedTargets) = CreateStridedWindows(train, 4, 1);
        var (every, everyTargets) = CreateWindows(train, 4);
        return strided.shape.SequenceEqual(every.shape) && Flat(strided).SequenceEqual(Flat(every)) && Flat(stridedTargets).SequenceEqual(Flat(everyTargets));
    }),
    ($"lookback 4, stride 4: {WindowCount(4, 4)} windows, as many as fit with the month after them, that do not overlap — end to end, the first {4 * WindowCount(4, 4)} training months", () =>
    {
        var (apart, _) = CreateStridedWindows(train, 4, 4);
        return apart.shape.SequenceEqual(new long[] { WindowCount(4, 4), 4, 1 }) && Flat(apart).SequenceEqual(train[..(4 * WindowCount(4, 4))]);
    }),
    ("lookback 12, stride 3: window k holds months 3k … 3k + 11, and its targets months 3k + 1 … 3k + 12", () =>
    {
        var (yearly, yearlyTargets) = CreateStridedWindows(train, 12, 3);
        var starts = Enumerable.Range(0, WindowCount(12, 3)).Select(k => 3 * k).ToArray();
        return yearly.shape.SequenceEqual(new long[] { starts.Length, 12, 1 })
            && Flat(yearly).SequenceEqual(starts.SelectMany(i => train[i..(i + 12)]))
            && Flat(yearlyTargets).SequenceEqual(starts.SelectMany(i => train[(i + 1)..(i + 13)]));
    })));

// ### Exercise 3.2 — The same month last year
//
// Every year's highest month is July or August: the same month a year earlier is a forecast in its own right, the
// **seasonal naive** — "next July is like last July". Write `SeasonalNaive`: its forecasts for the months that a model
// with this lookback predicts from its test windows' last steps, `test[lookback..]`, each the value of the month twelve
// months earlier in the whole series. For the first test months that is a training month: it is the past when the
// forecast is made, so using it is honest. A window of 12 months or more holds the month a year before the one it
// predicts, so the seasonal naive is a forecast such a window could learn. Then, if you like, print its RMSE on the
// same months beside persistence's and the models'.

// ── cell 42 ──
// Exercise 3.2: your answer. The seasonal naive forecasts of test[lookback..]: each month's value a year earlier.
float[] SeasonalNaive(int lookback) => throw new NotImplementedException("your answer");

// ── cell 43 ──
display(Exercise.Check("3.2",
    ("one forecast per month the last step predicts, test[lookback..], for lookback 1, 4 and 12",
        () => new[] { 1, 4, 12 }.All(lookback => SeasonalNaive(lookback).Length == test.Length - lookback)),
    ("with lookback 12, each forecast is the first month of its test window: the window holds the same month last year",
        () => SeasonalNaive(12).SequenceEqual(CreateWindows(test, 12).Features[.., 0, 0].data<float>().ToArray())),
    ($"with lookback 1, the first forecast, for {airline.Months[trainSize + 1]}, is the value of {airline.Months[trainSize - 11]}, a training month",
        () => SeasonalNaive(1)[0] == timeseries[trainSize - 11]),
    ("with lookback 4, every forecast is the value of the month twelve months before the one it forecasts",
        () => SeasonalNaive(4).SequenceEqual(Enumerable.Range(trainSize + 4, test.Length - 4).Select(month => timeseries[month - 12])))));

// ### Exercise 3.3 — Train on the last step only
//
// `AirModel` predicts at every time step. Write `LastStepModel`: the same `nn.LSTM` and `Linear`, with the `Linear`
// reading only the last time step, `output[.., -1, ..]`, so that a batch of windows `(batch, lookback, 1)` gives one
// prediction each, `(batch, 1)`. Name its fields `lstm` and `linear`, as `AirModel` does: `RegisterComponents()`
// registers each field under its name, which becomes the key of its weights in `state_dict()`, so an `AirModel`'s
// weights load into it. `TrainEpoch` trains it unchanged on each window's last target, `y[.., -1, ..]`. Then, if you
// like, train it as `RunExperiment` trains `AirModel` and compare the last-step test RMSEs: the chapter argued that one
// target per window throws most of the training signal away.

// ── cell 45 ──

// ── cell 46 ──
var (xTrain4, yTrain4) = CreateWindows(train, lookback: 4);
display(Exercise.Check("3.3",
    ("it maps a batch of windows (8, 4, 1) to one prediction each, (8, 1)", () =>
    {
        using var scope = NewDisposeScope();
        return new LastStepModel(hiddenSize).call(xTrain4[..8]).shape.SequenceEqual(new long[] { 8, 1 });
    }),
    ("with an AirModel's weights loaded, it predicts what the AirModel predicts at each window's last step", () =>
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var everyStep = new AirModel(hiddenSize);
        var lastStep = new LastStepModel(hiddenSize);
        lastStep.load_state_dict(everyStep.state_dict());
        return lastStep.call(xTrain4).sub(everyStep.call(xTrain4)[.., -1, ..]).abs().max().item<float>() < 1e-5;
    }),
    ("one epoch of TrainEpoch on the windows' last targets lowers its training loss", () =>
    {
        manual_seed(seed);
        var candidate = new LastStepModel(hiddenSize);
        var lastTargets = yTrain4[.., -1, ..];                                   // (windows, 1)
        double Loss() { using var noGrad = no_grad(); return nn.functional.mse_loss(candidate.call(xTrain4), lastTargets).item<float>(); }
        var before = Loss();
        TrainEpoch(candidate, optim.Adam(candidate.parameters()), torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(xTrain4, lastTargets), batchSize, new EpochShuffler(xTrain4.shape[0], seed), disposeDataset: false));
        return Loss() < before;
    })));

// **Next:** [Chapter 4 — Sine waves with two LSTM cells and L-BFGS](04-sine-wave-lstmcell-lbfgs.ipynb) writes the loop
// over time by hand, feeds predictions back in to forecast far ahead, and trains with a closure.

// ── the notebook's type declarations (a C# program declares its types after its statements) ──

// @save
class AirModel : nn.Module<Tensor, Tensor>
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

/// <summary>One run: the RMSE curves, and each window's last-step prediction (the month right after the window).</summary>
record Experiment(int Lookback, List<int> Epochs, List<double> TrainRmse, List<double> TestRmse,
                  float[] TrainPredictions, float[] TestPredictions);

record Score(int Lookback, double TrainRmseEveryStep, double TestRmseEveryStep, double TestRmseLastStep, double PersistenceRmseLastStep);

// Exercise 3.3: your answer. AirModel's LSTM and Linear, the Linear on the last time step only: (batch, lookback, 1) → (batch, 1).
class LastStepModel : nn.Module<Tensor, Tensor>
{
    public LastStepModel(int hiddenSize) : base(nameof(LastStepModel)) => RegisterComponents();

    public override Tensor forward(Tensor x) => throw new NotImplementedException("your answer");
}
