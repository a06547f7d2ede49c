// 01-naive-mlp-baseline: generated from notebooks/01-naive-mlp-baseline.ipynb by NotebookRunner (--export-apps); do not edit.
// Run it with: dotnet run apps/01-naive-mlp-baseline.cs [--parameter value ...] [--out DIR]
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
using TorchSharp.Modules;

var app = NotebookApp.AppHost.Start("01-naive-mlp-baseline", args);   // runs in this file's folder, as the notebook runs in its own

// # Chapter 1 — A naive baseline: a time series as a plain function
//
// Before we reach for an LSTM we try the simplest thing that could possibly work: treat a time series as an ordinary
// function from *time step* to *value*, and fit it with a small neural network. It can fit the data it has seen closely
// and still predict the future badly. Understanding *why* is the motivation for the rest of the course.
//
// **What you will learn**
//
// - how to turn a small series into TorchSharp tensors of shape `(samples, features)`;
// - how to write a model as a `Module<Tensor, Tensor>` and train it with full-batch gradient descent;
// - how to keep a validation set honest — including a bug from the article this course started from;
// - why a model that only sees the current time step cannot learn temporal dependencies.

// ## Set-up
//
// The first cell loads the packages and the course's small helper library. The library holds plumbing — data
// loading, chart styling, display formatters — so that each chapter can show the code it teaches. The last line
// loads TorchSharp's native library, checks that it works on this machine, and prints the versions and the number of
// CPU threads TorchSharp uses. That number is the helper library's choice, not TorchSharp's: left alone, libtorch
// uses one thread per core, and the library's `ThreadPolicy` sets it to one, because for models this small the course
// measured one thread to be faster than two ([Platforms: threads](../docs/platforms.md#threads)). The environment
// variable `LSTM_NOTEBOOKS_THREADS` changes it.

// ── cell 3 ──
display(TorchRuntime.EnsureAvailable().ToString());

// ## Parameters
//
// These are the tutorial-scale settings. The tests run the same notebook with far fewer epochs by overriding this cell
// (it is tagged `parameters`), so keep every setting you may want to change here.

// ── cell 5 (parameters) ──
var epochs = 500_000;        // full passes over the 9 training points
var learningRate = 1e-3;     // SGD step size
var logEvery = 10_000;       // record the losses at epoch 1 and every logEvery epochs
var hiddenSize = 13;         // units in the hidden layer
var seed = 42;               // data noise and weight initialisation
// Any of the parameters above can be given on the command line, e.g. --epochs value:
epochs = app.Get("epochs", epochs);
learningRate = app.Get("learningRate", learningRate);
logEvery = app.Get("logEvery", logEvery);
hiddenSize = app.Get("hiddenSize", hiddenSize);
seed = app.Get("seed", seed);
app.Check();

// ## The data: minutes played after an injury
//
// A player comes back from an injury and the coach gives them a little more time on court every game. We simulate
// 11 games:
//
// $$\text{minutes}_t = 1.6\,t + 4 + \varepsilon_t, \qquad \varepsilon_t \sim \mathcal{N}(10, 1), \qquad t = 0, 1, \dots, 10$$
//
// The noise is seeded, so every run — yours, the tests', the HTML book's — sees the same numbers.

// ── cell 7 ──

// ── cell 8 ──
var season = MinutesData.Season(seed, games: 11);
display(season.Games.Zip(season.Minutes, (game, minutes) => new { game, minutes = Math.Round(minutes, 2) }));

// We train on the first 9 games and keep the last 2 for validation: they are the "future" the model has not seen.
// Time series are **not shuffled** before splitting — the validation games must come after the training games, or we
// would be testing on the past.
//
// `nn.Linear` reads the *last* dimension of its input as the features and every dimension before it as samples. Our
// model's first layer takes one feature, the game number, so the 11 games become a column of shape `(11, 1)`: 11
// samples of 1 feature each, `(samples, features)`. Left 1-D, shape `(11)` would read as one sample of 11 features.

// ── cell 10 ──
var games = tensor(season.Games).reshape(-1, 1);      // (11, 1): the input is the game number
var minutes = tensor(season.Minutes).reshape(-1, 1);  // (11, 1): the target is the minutes played
var trainCount = 9;
var xTrain = games[..trainCount];
var yTrain = minutes[..trainCount];
var xValidation = games[trainCount..];
var yValidation = minutes[trainCount..];
Console.WriteLine($"train: x {string.Join("×", xTrain.shape)}, y {string.Join("×", yTrain.shape)}");
Console.WriteLine($"validation: x {string.Join("×", xValidation.shape)}, y {string.Join("×", yValidation.shape)}");

// ── cell 11 ──
display(CourseCharts.Figure("Minutes played per game after an injury", "game", "minutes",
    CourseCharts.Points(season.Games[..trainCount], season.Minutes[..trainCount], "training games", CourseCharts.Colours.Data),
    CourseCharts.Points(season.Games[trainCount..], season.Minutes[trainCount..], "validation games", CourseCharts.Colours.Test)));

// ## The model: a function of the time step
//
// The model maps one number (the game) to one number (the minutes): a hidden layer of $H$ units (`hiddenSize`, 13 by
// default) with a `tanh` non-linearity, then a linear output.
//
// $$\hat{y} = W_2 \tanh(W_1 t + b_1) + b_2, \qquad W_1 \in \mathbb{R}^{H \times 1},\; W_2 \in \mathbb{R}^{1 \times H}$$
//
// In TorchSharp a model is a `Module<Tensor, Tensor>`: its layers are fields, `RegisterComponents()` registers them so
// that `parameters()` hands their weights to the optimiser, and the `forward` override says how data flows. You never
// call `forward` yourself: `model.call(x)` runs it, together with any hooks registered on the module — PyTorch's
// `model(x)`. This is the style of all models in the course.

// ── cell 13 ──
manual_seed(seed);
var model = new MinutesMlp(hiddenSize);
foreach (var (name, p) in model.named_parameters())
    Console.WriteLine($"{name,-14} {string.Join(" × ", p.shape)}");
display(model.parameters().Sum(p => p.numel()));

// The cell lists each weight's shape and then the total. With the default 13 hidden units that is 13 + 13 weights and
// biases in the hidden layer and 13 + 1 in the output layer: 40 numbers to fit 9 points. That is plenty — which is
// exactly the problem we are about to see.
//
// ## Training: full-batch gradient descent
//
// Each epoch uses all 9 training points at once:
//
// 1. `zero_grad()` clears the gradients left from the previous step;
// 2. `model.call(xTrain)` computes the predictions (the forward pass), and `MSELoss` their mean squared error;
// 3. `backward()` computes the gradient of the loss with respect to every weight;
// 4. `step()` moves each weight a little against its gradient: $w \leftarrow w - \eta\, \partial L / \partial w$.
//
// Every step runs inside `NewDisposeScope()`: the tensors it creates (predictions, loss, intermediate values) live in
// native memory, and the scope frees them at the end of the step instead of waiting for the garbage collector. The
// validation loss is computed under `no_grad()`: we only look, we do not train on it. Progress updates in place, and
// the last line compares the final validation loss with the final training loss.

// ── cell 15 ──
var optimizer = optim.SGD(model.parameters(), learningRate);
var mse = nn.MSELoss();
var loggedEpochs = new List<int>();
var trainLosses = new List<double>();
var validationLosses = new List<double>();
var progress = display("training…");
for (var epoch = 1; epoch <= epochs; epoch++)
{
    using var scope = NewDisposeScope();
    model.zero_grad();       // clear last epoch's gradients (set to none, as PyTorch's zero_grad does)
    var loss = mse.call(model.call(xTrain), yTrain);
    loss.backward();
    optimizer.step();

    if (epoch == 1 || epoch % logEvery == 0 || epoch == epochs)
    {
        using var noGrad = no_grad();
        double trainLoss = loss.item<float>();
        double validationLoss = mse.call(model.call(xValidation), yValidation).item<float>();
        loggedEpochs.Add(epoch);
        trainLosses.Add(trainLoss);
        validationLosses.Add(validationLoss);
        progress.Update($"epoch {epoch:N0}/{epochs:N0}: training loss {trainLoss:F4}, validation loss {validationLoss:F4}");
    }
}
var finalTrainLoss = trainLosses[^1];
var finalValidationLoss = validationLosses[^1];
Console.WriteLine($"training loss {trainLosses[0]:F2} → {finalTrainLoss:F4}; validation loss {finalValidationLoss:F4}, "
    + $"{finalValidationLoss / finalTrainLoss:F1}× the training loss");

// ── cell 16 ──
display(CourseCharts.Figure("Training and validation loss", "epoch", "MSE loss (log scale)", new[]
{
    CourseCharts.Line(loggedEpochs, trainLosses, "training loss", CourseCharts.Colours.Train),
    CourseCharts.Line(loggedEpochs, validationLosses, "validation loss", CourseCharts.Colours.Test),
}, logY: true));

// > **A note on the original article.** The article this course grew from computed the validation loss against the
// > validation *game numbers* instead of the validation *minutes* — `loss(model(x_val), x_val)` rather than
// > `loss(model(x_val), y_val)`. The code runs and prints a number, which is what makes this kind of bug dangerous.
// > Here is what that bug would have reported, next to the correct value:

// ── cell 18 ──
double buggyValidationLoss;
using (no_grad())
{
    buggyValidationLoss = mse.call(model.call(xValidation), xValidation).item<float>();   // compares with the games: wrong
}
Console.WriteLine($"validation loss against the minutes (correct): {finalValidationLoss,10:F4}");
Console.WriteLine($"validation loss against the games (the bug):   {buggyValidationLoss,10:F4}");

// ## What the model learned
//
// Let us draw the fitted function over the 11 games and a few games beyond, where a forecast would be needed, and
// print what it predicts much further out.

// ── cell 20 ──
var curveGames = Enumerable.Range(0, 151).Select(i => i / 10f).ToArray();   // 0.0, 0.1, …, 15.0
var farGames = new[] { 15f, 100f, 1000f };
float[] curveMinutes, farMinutes;
using (no_grad())
{
    curveMinutes = model.call(tensor(curveGames).reshape(-1, 1)).reshape(-1).data<float>().ToArray();
    farMinutes = model.call(tensor(farGames).reshape(-1, 1)).reshape(-1).data<float>().ToArray();
}
Console.WriteLine(string.Join(", ", farGames.Zip(farMinutes, (g, m) => $"game {g}: {m:F1} minutes")));
display(CourseCharts.Figure("The fitted function, inside and beyond the data", "game", "minutes",
    CourseCharts.Points(season.Games[..trainCount], season.Minutes[..trainCount], "training games", CourseCharts.Colours.Data),
    CourseCharts.Points(season.Games[trainCount..], season.Minutes[trainCount..], "validation games", CourseCharts.Colours.Test),
    CourseCharts.Line(curveGames, curveMinutes, "model", CourseCharts.Colours.Train)));

// **What this shows.**
//
// - The training loss falls: the training cell printed its first and last value. With 40 parameters (at the default
//   hidden size) the network has more than enough freedom to pass close to 9 points.
// - The same line printed the validation loss as a multiple of the training loss: how much worse the model does on
//   the two games it has not seen than on the nine it has. That multiple, not the training loss, says how well the
//   model forecasts.
// - Far beyond the data the curve must flatten. Each hidden unit computes $\tanh(w t + b)$, which tends to $-1$ or
//   $+1$ as $t$ grows, so the output tends to a constant — the predictions printed for games 15, 100 and 1000 show
//   where it is heading. The network cannot continue a trend it only ever saw as a function of $t$: it has no notion
//   that minutes *grow from game to game*.
//
// The deeper problem is the framing. The model sees only the current time step $t$ and must answer from $t$ alone.
// Nothing about the previous games' minutes reaches it, so it cannot learn *temporal dependencies* — "more than
// last game", "the same as last summer". A time-series model should read the recent past and carry what matters
// forward. That is precisely what an LSTM's memory cell does.
//
// ## Summary
//
// - A series can be fitted as a plain function of time, but such a model only fits the past: far from the data its
//   `tanh` units saturate, and it cannot continue a trend.
// - Keep the split chronological, and check the validation loss against the right targets.
// - `Module<Tensor, Tensor>`, `RegisterComponents()`, an optimiser, and a step in a dispose scope: the pattern every
//   later chapter uses.

// ## Exercises
//
// Each exercise has a cell for your answer and a check cell after it: run both, and the check says whether your answer
// holds or which condition does not, yet. Worked solutions are in [solutions/01-naive-mlp-baseline.md](../solutions/01-naive-mlp-baseline.md)
// — try first.
//
// ### Exercise 1.1 — Validation at a rolling origin
//
// Two validation games are a thin basis for judging a model. Forecasters validate at a *rolling origin* instead
// (Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*, "Time series cross-validation"): train on the
// first $k$ games and validate on game $k$, then train on the first $k + 1$ and validate on game $k + 1$, and so on to
// the last game. Every fold keeps the rule of the chapter's split: its validation game comes after all of its training
// games. Write `RollingOrigin`, the folds for `count` games, the first of them training on `firstTrainCount` games. The
// starter is the cross-validation used for data without an order, leave-one-out; its check says which rule it breaks.

// ── cell 23 ──
// Exercise 1.1: your answer. Fold k trains on games 0 … firstTrainCount + k − 1 and validates on game firstTrainCount + k.
List<(int[] Train, int[] Validation)> RollingOrigin(int count, int firstTrainCount) =>
    Enumerable.Range(0, count)   // a first attempt: leave-one-out, every game validated by a model of all the others
        .Select(v => (Enumerable.Range(0, count).Where(g => g != v).ToArray(), new[] { v }))
        .ToList();

// ── cell 24 ──
var gameCount = season.Games.Length;
display(Exercise.Check("1.1",
    ("in every fold, the validation game comes after every training game",
        () => RollingOrigin(gameCount, trainCount).All(f => f.Validation.Min() > f.Train.Max())),
    ($"with {gameCount} games and {trainCount} to start, the folds validate on games {trainCount} … {gameCount - 1}, one each, in order",
        () => RollingOrigin(gameCount, trainCount).Select(f => string.Join(" ", f.Validation))
            .SequenceEqual(Enumerable.Range(trainCount, gameCount - trainCount).Select(g => g.ToString()))),
    ("every fold trains on all the games before its validation game, 0 … k − 1",
        () => RollingOrigin(gameCount, trainCount).All(f => f.Train.SequenceEqual(Enumerable.Range(0, f.Validation[0])))),
    ("it holds for any series: 20 games with 5 to start give 15 folds, the last training on games 0 … 18 and validating on 19", () =>
    {
        var folds = RollingOrigin(20, 5);
        return folds.Count == 15 && folds[^1].Train.SequenceEqual(Enumerable.Range(0, 19)) && folds[^1].Validation.SequenceEqual([19]);
    })));

// ### Exercise 1.2 — The gradient step, by hand
//
// `optimizer.step()` moves each weight against its gradient, $w \leftarrow w - \eta\, \partial L / \partial w$. Write
// `SgdStep`, the same step without an optimiser: subtract `rate` times each weight's gradient, `w.grad`, from the weight,
// in place. The starter does exactly that; its check shows what autograd says about it. (TorchSharp's own `SGD.step`
// updates each weight in place, `add_(grad, alpha: -lr)`, inside `no_grad()`.)

// ── cell 26 ──
// Exercise 1.2: your answer. For every weight w: w ← w − rate · ∂L/∂w, in place, as optimizer.step() does.
void SgdStep(IEnumerable<Parameter> weights, double rate)
{
    foreach (var w in weights)
        w.sub_(w.grad * rate);   // a first attempt
}

// ── cell 27 ──
/// <summary>A fresh model, one backward() of its loss on the training games, then one step: by optim.SGD or by SgdStep.</summary>
(float[] Weights, float LossBefore, float LossAfter) OneStep(bool byHand)
{
    manual_seed(seed);
    var net = new MinutesMlp(hiddenSize);
    var sgd = optim.SGD(net.parameters(), learningRate);
    var before = mse.call(net.call(xTrain), yTrain);
    before.backward();
    if (byHand)
    {
        try { SgdStep(net.parameters(), learningRate); }
        catch (System.Runtime.InteropServices.ExternalException e)   // keep libtorch's message, not its C++ stack trace
        {
            throw new System.Runtime.InteropServices.ExternalException(e.Message.Split('\n')[0]);
        }
    }
    else sgd.step();
    using var noGradAfter = no_grad();
    return (net.parameters().SelectMany(w => w.data<float>().ToArray()).ToArray(), before.item<float>(), mse.call(net.call(xTrain), yTrain).item<float>());
}
display(Exercise.Check("1.2",
    ("one SgdStep moves every weight as one step of optim.SGD does, to float32 rounding",
        () => OneStep(byHand: true).Weights.Zip(OneStep(byHand: false).Weights, (a, b) => Math.Abs(a - b)).Max() < 1e-6),
    ("the step goes downhill: the training loss is lower after it", () =>
    {
        var step = OneStep(byHand: true);
        return step.LossAfter < step.LossBefore;
    })));

// ### Exercise 1.3 — Where the far-out predictions go
//
// The chapter argued that far beyond the data each hidden unit's $\tanh(w_j t + b_j)$ tends to $+1$ if $w_j > 0$ and
// to $-1$ if $w_j < 0$, so that the output tends to a constant. Write `LimitAsGamesGrow`: that constant, from a
// `MinutesMlp`'s weights alone. `named_parameters()` gives them under the names the model cell printed. Mind two cases:
// a unit whose input weight is exactly 0 never saturates — it adds $\tanh(b_j)$ times its output weight at every game —
// and a unit with a tiny input weight saturates too, only much further out.

// ── cell 29 ──
// Exercise 1.3: your answer. The output's limit as the game number grows without bound, from the weights alone.
double LimitAsGamesGrow(MinutesMlp mlp) => throw new NotImplementedException("your answer");

// ── cell 30 ──
/// <summary>A MinutesMlp with the given weights: the hidden units' input weights and biases, the output weights and bias.</summary>
MinutesMlp MlpWithWeights(float[] inputWeights, float[] biases, float[] outputWeights, float outputBias)
{
    var mlp = new MinutesMlp(inputWeights.Length);
    var named = mlp.named_parameters().ToDictionary(n => n.name, n => n.parameter);
    using var noGradCopy = no_grad();
    named["hidden.weight"].copy_(tensor(inputWeights).reshape(-1, 1));
    named["hidden.bias"].copy_(tensor(biases));
    named["output.weight"].copy_(tensor(outputWeights).reshape(1, -1));
    named["output.bias"].copy_(tensor(new[] { outputBias }));
    return mlp;
}
float PredictAt(MinutesMlp mlp, float game)
{
    using var noGradCall = no_grad();
    return mlp.call(tensor(new[] { game }).reshape(1, 1)).item<float>();
}
display(Exercise.Check("1.3",
    ("for the chapter's trained model, it is what the model predicts at game 10,000,000, to 0.001 minutes",
        () => Math.Abs(LimitAsGamesGrow(model) - PredictAt(model, 1e7f)) < 1e-3),
    ("input weights (2, −3, 1e-9), biases (1, 1, 0), output weights (1, 2, 3) and output bias 0.5 give 0.5 + 1 − 2 + 3: the unit with the tiny input weight saturates as well",
        () => Math.Abs(LimitAsGamesGrow(MlpWithWeights([2, -3, 1e-9f], [1, 1, 0], [1, 2, 3], 0.5f)) - 2.5) < 1e-6),
    ("a unit with input weight 0 adds tanh of its bias times its output weight: (2, −3, 0), (1, 1, 0.5), (1, 2, 4) and 0.5 give 0.5 + 1 − 2 + 4 tanh(0.5)",
        () => Math.Abs(LimitAsGamesGrow(MlpWithWeights([2, -3, 0], [1, 1, 0.5f], [1, 2, 4], 0.5f)) - (-0.5 + 4 * Math.Tanh(0.5))) < 1e-6)));

// **Next:** [Chapter 2 — Inside the LSTM cell](02-lstm-cell-math.ipynb) opens the cell that gives a network memory,
// equation by equation.

// ── the notebook's type declarations (a C# program declares its types after its statements) ──

// @save
/// <summary>One season: the game numbers and the minutes played in each.</summary>
record MinutesSeason(float[] Games, float[] Minutes);

/// <summary>
/// minutes = 1.6·game + 4 + ε, ε ~ Normal(10, 1), for games 0, 1, …; the noise comes from the library's SeededNormal,
/// so a seed gives the same season everywhere. Chapter 5 simulates many seasons with the same constants.
/// </summary>
static class MinutesData
{
    public const double Slope = 1.6, Intercept = 4, NoiseMean = 10, NoiseStandardDeviation = 1;

    public static MinutesSeason Season(int seed, int games = 11)
    {
        if (games < 2) throw new ArgumentOutOfRangeException(nameof(games), games, "a season needs at least 2 games");
        var noise = new SeededNormal(seed);
        var g = Enumerable.Range(0, games).Select(i => (float)i).ToArray();
        var m = g.Select(x => (float)(Slope * x + Intercept + noise.Next(NoiseMean, NoiseStandardDeviation))).ToArray();
        return new MinutesSeason(g, m);
    }
}

class MinutesMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Tanh activation;
    private readonly Linear output;

    public MinutesMlp(int hiddenSize) : base(nameof(MinutesMlp))
    {
        hidden = nn.Linear(1, hiddenSize);
        activation = nn.Tanh();
        output = nn.Linear(hiddenSize, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => output.call(activation.call(hidden.call(input)));
}
