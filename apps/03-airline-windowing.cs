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
// - to read train and test **RMSE** curves, and what a longer lookback buys.

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

// Two patterns stand out: a **trend** (air travel roughly quadruples over twelve years) and **seasonality** (every
// summer peaks, every November dips), with the seasonal swing growing along with the trend.
//
// ## A train/test split in time order
//
// We train on the first 67 % of the months and test on the rest. The split is by time, and nothing is shuffled
// before it: the test months must lie in the *future* of the training months, as they would when the model is used.
// Shuffling first would let the model train on 1958 and be "tested" on 1957 — an easy interpolation that says
// nothing about forecasting.

// ── cell 10 ──
float[] timeseries = airline.Values;
var trainSize = (int)(timeseries.Length * trainFraction);
float[] train = timeseries[..trainSize];
float[] test = timeseries[trainSize..];
Console.WriteLine($"train: {train.Length} months ({airline.Months[0]} – {airline.Months[trainSize - 1]})");
Console.WriteLine($"test:  {test.Length} months ({airline.Months[trainSize]} – {airline.Months[^1]})");

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

// ── cell 12 ──
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

// ── cell 13 ──
// @save
/// <summary>A tensor's shape as "(a, b, c)", for printing; chapters 4 and 5 use it too.</summary>
string Shape(Tensor t) => $"({string.Join(", ", t.shape)})";

// ── cell 14 ──
var (xTrain1, yTrain1) = CreateWindows(train, lookback: 1);
var (xTest1, yTest1) = CreateWindows(test, lookback: 1);
var trainShape1 = Shape(xTrain1);
var testShape1 = Shape(xTest1);
Console.WriteLine($"lookback 1: train features {trainShape1}, targets {Shape(yTrain1)}");
Console.WriteLine($"lookback 1: test features  {testShape1}, targets {Shape(yTest1)}");

// **The shape mistake.** The PyTorch original builds windows from a 1-D array, and the tutorial has to stress that the
// series must first become a column of shape `(n, 1)`. Otherwise each window is a plain row of numbers and the
// stacked tensor is `(95, 1)` — two dimensions, not three:

// ── cell 16 ──
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

// ── cell 18 ──

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
// These are the types you will keep using: schedulers, `state_dict` checkpoints and every TorchSharp example build on
// them.
//
// We report the **root mean squared error** — in thousands of passengers, the unit of the data — on the training and
// test windows before training and every `reportEvery` epochs. Evaluation runs in `eval()` mode under `no_grad()`.
//
// One epoch is the loop every TorchSharp training script has: for each batch, clear the gradients, run the model,
// compute the loss, backpropagate, step the optimizer — each step in a dispose scope, which frees its tensors at once
// instead of leaving them to the garbage collector. The whole experiment is one function around it, so that we can
// run it for two lookbacks.

// ── cell 20 ──
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

// ── cell 21 ──
Experiment RunExperiment(int lookback)
{
    var (xTrain, yTrain) = CreateWindows(train, lookback);
    var (xTest, yTest) = CreateWindows(test, lookback);

    manual_seed(seed);
    var model = new AirModel(hiddenSize);
    var optimizer = optim.Adam(model.parameters());
    var mse = nn.MSELoss();
    var dataset = torch.utils.data.TensorDataset(xTrain, yTrain);
    var batches = torch.utils.data.DataLoader(dataset, batchSize, new EpochShuffler(xTrain.shape[0], seed), disposeDataset: false);

    var result = new Experiment(lookback, new(), new(), new(), [], []);
    var progress = display($"lookback {lookback}: training…");
    void Evaluate(int epoch)
    {
        model.eval();
        using var noGrad = no_grad();
        result.Epochs.Add(epoch);
        result.TrainRmse.Add(Math.Sqrt(mse.call(model.call(xTrain), yTrain).item<float>()));
        result.TestRmse.Add(Math.Sqrt(mse.call(model.call(xTest), yTest).item<float>()));
        progress.Update($"lookback {lookback}, epoch {epoch:N0}/{epochs:N0}: train RMSE {result.TrainRmse[^1]:F2}, test RMSE {result.TestRmse[^1]:F2}");
    }

    Evaluate(0);
    for (var epoch = 1; epoch <= epochs; epoch++)
    {
        TrainEpoch(model, optimizer, batches);
        if (epoch % reportEvery == 0 || epoch == epochs) Evaluate(epoch);
    }

    model.eval();
    using (no_grad())
    {
        // The last time step of each window predicts the month right after it.
        return result with
        {
            TrainPredictions = model.call(xTrain)[.., -1, 0].data<float>().ToArray(),
            TestPredictions = model.call(xTest)[.., -1, 0].data<float>().ToArray(),
        };
    }
}

// ### Lookback 1
//
// Each window is a single month: the model sees this month and predicts the next.

// ── cell 23 ──
var lookback1 = RunExperiment(1);
display(lookback1.Epochs.Select((epoch, i) => new { epoch, trainRmse = Math.Round(lookback1.TrainRmse[i], 2), testRmse = Math.Round(lookback1.TestRmse[i], 2) }));

// ── cell 24 ──
display(CourseCharts.Figure("RMSE during training, lookback 1", "epoch", "RMSE (thousands of passengers)",
    CourseCharts.Line(lookback1.Epochs, lookback1.TrainRmse, "train RMSE", CourseCharts.Colours.Train),
    CourseCharts.Line(lookback1.Epochs, lookback1.TestRmse, "test RMSE", CourseCharts.Colours.Test)));

// The predictions, each drawn at the month it predicts: window $i$ ends at month $i + \text{lookback} - 1$, so its last
// step predicts month $i + \text{lookback}$. Training predictions are red, test predictions green.

// ── cell 26 ──
display(CourseCharts.PredictionOverlay("Predictions with lookback 1", airline.Months, timeseries,
    lookback1.TrainPredictions, lookback1.TestPredictions, trainSize, lookback: 1, yTitle: "passengers (thousands)"));

// With one month of context the model mostly learns "next month ≈ this month, nudged": the prediction follows the
// data one step late, and it undershoots the test years, whose values are higher than anything in training.
//
// ### Lookback 4
//
// Now each window holds four months, and the model predicts the next month at each of the four steps.

// ── cell 28 ──
var lookback4 = RunExperiment(4);
display(CourseCharts.PredictionOverlay("Predictions with lookback 4", airline.Months, timeseries,
    lookback4.TrainPredictions, lookback4.TestPredictions, trainSize, lookback: 4, yTitle: "passengers (thousands)"));

// ── cell 29 ──
var testRmse1 = lookback1.TestRmse.ToArray();
var testRmse4 = lookback4.TestRmse.ToArray();
var finalTestRmse1 = testRmse1[^1];
var finalTestRmse4 = testRmse4[^1];
// The simplest forecast, on the same test windows: "next month is like this month". A window's input at each step is
// the month before its target, so persistence's RMSE is the distance between the windows and their targets.
double PersistenceRmse(int lookback)
{
    var (x, y) = CreateWindows(test, lookback);
    return Math.Sqrt(nn.functional.mse_loss(x, y).item<float>());
}
var persistenceRmse1 = PersistenceRmse(1);
var persistenceRmse4 = PersistenceRmse(4);
display(new[] { lookback1, lookback4 }.Select(e => new
{
    lookback = e.Lookback,
    trainRmse = Math.Round(e.TrainRmse[^1], 2),
    testRmse = Math.Round(e.TestRmse[^1], 2),
    bestTestRmse = Math.Round(e.TestRmse.Min(), 2),
    persistenceTestRmse = Math.Round(e.Lookback == 1 ? persistenceRmse1 : persistenceRmse4, 2),
}));
display(CourseCharts.Figure("Test RMSE: lookback 1 versus 4", "epoch", "test RMSE (thousands of passengers)",
    CourseCharts.Line(lookback1.Epochs, lookback1.TestRmse, "lookback 1", CourseCharts.Colours.Data),
    CourseCharts.Line(lookback4.Epochs, lookback4.TestRmse, "lookback 4", CourseCharts.Colours.Extra1)));

// **Why the longer window helps.** With four months of context the LSTM can see *direction* — rising into summer or
// falling into autumn — and not only the current level. And because the loss uses the target at every time step, one
// window of four months contributes four supervised predictions, each with a different amount of history
// (1, 2, 3 and 4 months): the model learns to predict well from short and long contexts alike, from the same 95 or so
// windows. The test RMSE falls accordingly.
//
// **And yet: compare with the simplest forecast.** The last column of the table is *persistence* — "next month is like
// this month", no model at all — on the same test windows: about 48 thousand passengers. The article's model, trained
// on raw counts, does **worse** than that, with one month of context and with four. A test RMSE means nothing until it
// is set against a forecast that needs no training; [chapter 6](06-baselines-and-transforms.ipynb) does that properly,
// shows why this model loses, and fixes it.
//
// Two limits remain visible. The model is trained on raw passenger counts, so the test years — higher than any
// training month — push it outside the range it has seen; scaling the series or modelling the change from month to
// month helps. And a window of four months cannot see last year's summer: a lookback of 12 or more lets the LSTM
// use the seasonality.
//
// ## Summary
//
// - Split time series by time; never shuffle before splitting.
// - Windows are `(windows, lookback, 1)`: samples, time steps, features. Forgetting the feature axis gives a 2-D
//   tensor, which TorchSharp's `nn.LSTM` refuses; three axes in the wrong order run silently as another model.
// - `nn.LSTM(batchFirst: true)` + `Linear` on every time step, trained with Adam on shuffled mini-batches; predictions
//   come from each window's last step.
// - RMSE in the data's unit makes curves readable; a longer lookback gives the model direction, and every-step targets
//   give it more signal.
//
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

record Experiment(int Lookback, List<int> Epochs, List<double> TrainRmse, List<double> TestRmse,
                  float[] TrainPredictions, float[] TestPredictions);
