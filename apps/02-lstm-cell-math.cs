// 02-lstm-cell-math: generated from notebooks/02-lstm-cell-math.ipynb by NotebookRunner (--export-apps); do not edit.
// Run it with: dotnet run apps/02-lstm-cell-math.cs [--parameter value ...] [--out DIR]
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
using LstmNotebooks.Exercises;
using LstmNotebooks.Runtime;

var app = NotebookApp.AppHost.Start("02-lstm-cell-math", args);   // runs in this file's folder, as the notebook runs in its own

// # Chapter 2 — Inside the LSTM cell
//
// Chapter 1's model answered from the current time step alone. A recurrent network instead reads a sequence one step
// at a time and carries a *state* from step to step. The Long Short-Term Memory cell (Hochreiter & Schmidhuber, 1997)
// is the recurrent unit this course builds on; in this chapter we write one step of it by hand and check it against
// TorchSharp's own implementation: the two agree to float32 rounding.
//
// **What you will learn**
//
// - the LSTM equations: forget, input and output gates, the candidate, the cell state and the hidden state — and the
//   same step as a data-flow figure;
// - the shapes of $x$, $h$, $c$ and of the weights, and PyTorch's packed weight layout;
// - that one cell, with the same weights, runs at every time step, and what TorchSharp's `LSTMCell` needs to start;
// - that a loop of `nn.LSTMCell` steps *is* `nn.LSTM`, and what `nn.LSTM` returns;
// - what `batch_first` and `(batch, time, features)` mean;
// - how to look inside a running cell: gate activations and the cell state over time.

// ## Set-up

// ── cell 3 ──
display(TorchRuntime.EnsureAvailable().ToString());

// ## Parameters

// ── cell 5 (parameters) ──
var inputSize = 1;        // features per time step
var hiddenSize = 4;       // size of h and c
var batchSize = 2;        // sequences processed side by side
var sequenceLength = 60;  // time steps
var seed = 7;
// Any of the parameters above can be given on the command line, e.g. --inputSize value:
inputSize = app.Get("inputSize", inputSize);
hiddenSize = app.Get("hiddenSize", hiddenSize);
batchSize = app.Get("batchSize", batchSize);
sequenceLength = app.Get("sequenceLength", sequenceLength);
seed = app.Get("seed", seed);
app.Check();

// ## The equations
//
// At time step $t$ the cell receives the input $x_t$ and its own previous state: the hidden state $h_{t-1}$ and the
// cell state $c_{t-1}$. It computes four vectors, each of size `hidden`:
//
// $$
// \begin{aligned}
// i_t &= \sigma\!\left(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}\right) && \text{input gate: how much new information to write} \\
// f_t &= \sigma\!\left(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}\right) && \text{forget gate: how much of the old cell state to keep} \\
// g_t &= \tanh\!\left(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}\right) && \text{candidate: the new information itself} \\
// o_t &= \sigma\!\left(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}\right) && \text{output gate: how much of the cell state to show} \\
// c_t &= f_t \odot c_{t-1} + i_t \odot g_t && \text{cell state: the memory} \\
// h_t &= o_t \odot \tanh(c_t) && \text{hidden state: the output of this step}
// \end{aligned}
// $$
//
// - $\sigma$ is the logistic sigmoid, $\sigma(z) = 1/(1+e^{-z})$, so every **gate** lies between 0 (closed) and 1
//   (open); $\tanh$ keeps the candidate between −1 and 1.
// - $\odot$ is element-wise multiplication: each hidden unit has its own gates.
// - The cell state is updated by *addition*, $c_t = f_t \odot c_{t-1} + \dots$ When the forget gate stays near 1,
//   information — and gradient — flows through many steps almost unchanged. That is what lets an LSTM remember
//   across long gaps where a plain recurrent network forgets.

// The same step as a picture. The cell state runs along the top, and only two element-wise operations touch it: a
// multiplication by the forget gate and an addition. Each yellow box is a layer with weights that reads $x_t$ and
// $h_{t-1}$; the circles have no weights. Both $c_t$ and $h_t$ go on to the next step, where the same cell — the same
// four boxes, with the same weights — runs again.
//
// ![The LSTM cell's data flow: x_t and h_{t−1} feed the forget, input and output gates (σ) and the candidate (tanh); c_{t−1} is multiplied by f_t, then i_t ⊙ g_t is added to give c_t; h_t is o_t ⊙ tanh(c_t).](figures/lstm-cell.svg)

// **Shapes**, for a batch of $B$ sequences with $F$ input features and $H$ hidden units:
// $x_t$ is $(B, F)$; $h_t$, $c_t$ and every gate are $(B, H)$; each $W_{i\cdot}$ is $(H, F)$, each $W_{h\cdot}$ is
// $(H, H)$, each bias is $(H)$.
//
// **PyTorch's packed layout.** `nn.LSTMCell` (TorchSharp mirrors PyTorch) stores the four input matrices stacked
// into one `weight_ih` of shape $(4H, F)$, the four recurrent matrices into `weight_hh` $(4H, H)$, and the biases into
// `bias_ih` and `bias_hh` $(4H)$ — in the order **i, f, g, o**. One matrix product then computes all four gates,
// and we split the result into four chunks.

// ## One step, by hand
//
// Here is the whole cell as a C# function of tensors. It returns the new $h$ and $c$, and the gates so we can look at
// them later.

// ── cell 10 ──
(Tensor H, Tensor C, Tensor[] Gates) LstmStep(Tensor x, Tensor h, Tensor c,
    Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh)
{
    var z = x.matmul(weightIh.t()) + biasIh + h.matmul(weightHh.t()) + biasHh;   // (B, 4H): all gates at once
    var parts = z.chunk(4, dim: 1);                                              // packed order: i, f, g, o
    var i = parts[0].sigmoid();
    var f = parts[1].sigmoid();
    var g = parts[2].tanh();
    var o = parts[3].sigmoid();
    var cNext = f * c + i * g;
    var hNext = o * cNext.tanh();
    return (hNext, cNext, new[] { i, f, g, o });
}

// Now a real `nn.LSTMCell` with random weights, and its packed parameters:

// ── cell 12 ──
manual_seed(seed);
var cell = nn.LSTMCell(inputSize, hiddenSize);
foreach (var (name, p) in cell.named_parameters())
    Console.WriteLine($"{name,-10} {string.Join(" × ", p.shape)}");

// Our input: a batch of sine waves with different phases, shaped `(time, batch, features)` so that `x[t]` is one time
// step for the whole batch.
//
// First, a trap. In PyTorch, `cell(x)` without a state starts from zeros, and TorchSharp's `LSTMCell.call` makes the
// state an optional argument too. In TorchSharp 0.107 calling it without one throws:

// ── cell 14 ──
var time = arange(sequenceLength, dtype: float32);
var phases = arange(batchSize, dtype: float32) * 1.5f;
var x = (time.unsqueeze(1) / 4f + phases).sin().unsqueeze(2);   // (time, batch, 1)
Console.WriteLine($"x: {string.Join(" × ", x.shape)}   (time, batch, features)");
try
{
    var (hWithoutState, _) = cell.call(x[0]);
    Console.WriteLine($"LSTMCell.call(x) without a state returned h of shape {string.Join(" × ", hWithoutState.shape)}");
}
catch (Exception e)
{
    Console.WriteLine($"LSTMCell.call(x) without a state throws {e.GetType().Name}: {e.Message.Split('\n')[0]}");
}

// The reason is in TorchSharp's native wrapper (`THSNN_LSTMCell_forward`): given no state, it hands libtorch's
// `LSTMCell` a pair of *undefined* (empty) tensors instead of no state at all. libtorch starts from zeros only when it
// receives no state; here it receives one, and its check that the state's batch size matches the input's fails, as the
// message says. So we always pass `(h0, c0)`, zeros to start.
//
// Now we run both cells — the hand-written step and `nn.LSTMCell` — over the sequence from the same zero state. Note
// that the loop calls the **same** `cell`, with the same `weight_ih`, `weight_hh` and biases, at every time step: an
// LSTM shares its weights across time, so a longer sequence needs no more parameters.

// ── cell 16 ──
var hHand = zeros(batchSize, hiddenSize);
var cHand = zeros(batchSize, hiddenSize);
var hTorch = zeros(batchSize, hiddenSize);
var cTorch = zeros(batchSize, hiddenSize);
var handStates = new List<Tensor>();
var torchStates = new List<Tensor>();
var cellStates = new List<Tensor>();
var gateHistory = new List<Tensor[]>();
using (no_grad())
{
    for (var t = 0; t < sequenceLength; t++)   // one cell, the same weights, at every step
    {
        Tensor[] gates;
        (hHand, cHand, gates) = LstmStep(x[t], hHand, cHand, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh);
        (hTorch, cTorch) = cell.call(x[t], (hTorch, cTorch));
        handStates.Add(hHand); torchStates.Add(hTorch);
        cellStates.Add(cHand); gateHistory.Add(gates);
    }
}
var maxDifference = stack(handStates).sub(stack(torchStates)).abs().max().item<float>();
Console.WriteLine($"{sequenceLength} steps of one cell with {cell.parameters().Sum(p => p.numel())} parameters");
Console.WriteLine($"largest |h_hand − h_LSTMCell| over {sequenceLength} steps: {maxDifference:0.00e+0}");

// The largest difference, printed above, is of the size of float32 rounding — a float32 carries about seven
// significant digits — not of a mistake: the six equations above *are* the LSTM cell.
//
// ## `nn.LSTMCell` versus `nn.LSTM`
//
// `nn.LSTMCell` computes **one step**; you write the loop over time yourself, which gives full control (chapter 4
// uses it to feed predictions back in). `nn.LSTM` runs the **whole sequence** — and can stack layers — in one call.
// It is the same computation, so copying the cell's weights into an `nn.LSTM` must give the same hidden states. Its
// parameters, listed by the cell below, are the cell's four tensors once per layer (`_l0` for the first), whatever
// the sequence's length.
//
// With `batchFirst: true`, `nn.LSTM` takes input shaped **(batch, time, features)**: the first index picks a
// sequence, the second a time step, the third a feature. (Without it, time comes first.) It returns
//
// - `output`: $h_t$ for every time step, `(batch, time, hidden)`;
// - `h_n` and `c_n`: the final hidden and cell state, `(layers, batch, hidden)`.
//
// For a one-layer LSTM, `h_n[0]` is the last time step of `output`.

// ── cell 18 ──
var lstm = nn.LSTM(inputSize, hiddenSize, numLayers: 1, batchFirst: true);
using (no_grad())
{
    lstm.get_parameter("weight_ih_l0").copy_(cell.weight_ih);
    lstm.get_parameter("weight_hh_l0").copy_(cell.weight_hh);
    lstm.get_parameter("bias_ih_l0").copy_(cell.bias_ih);
    lstm.get_parameter("bias_hh_l0").copy_(cell.bias_hh);
}
foreach (var (name, p) in lstm.named_parameters())
    Console.WriteLine($"{name,-13} {string.Join(" × ", p.shape)}");
var xBatchFirst = x.permute(1, 0, 2);                                   // (batch, time, 1)
var (output, hN, cN) = lstm.call(xBatchFirst, (zeros(1, batchSize, hiddenSize), zeros(1, batchSize, hiddenSize)));
Console.WriteLine($"input  {string.Join(" × ", xBatchFirst.shape)}   (batch, time, features)");
Console.WriteLine($"output {string.Join(" × ", output.shape)}   (batch, time, hidden)");
Console.WriteLine($"h_n    {string.Join(" × ", hN.shape)}    (layers, batch, hidden)");
var loopOfCells = stack(torchStates, dim: 1);                           // (batch, time, hidden)
var lstmVsCellDifference = output.sub(loopOfCells).abs().max().item<float>();
var lastStepDifference = output[.., -1, ..].sub(hN[0]).abs().max().item<float>();
Console.WriteLine($"largest |LSTM output − loop of LSTMCell steps|: {lstmVsCellDifference:0.00e+0}");
Console.WriteLine($"largest |output[:, -1] − h_n[0]|:               {lastStepDifference:0.00e+0}");

// ## Looking inside: the gates over time
//
// The heatmap shows the three sigmoid gates for the first sequence of the batch: one row per gate and hidden unit,
// one column per time step. Bright means open (near 1), dark means closed (near 0). With random, untrained weights
// the gates already vary with the input's rhythm; training is what gives those responses a purpose.

// ── cell 20 ──
var gateNames = new[] { "input i", "forget f", "candidate g", "output o" };
var sigmoidGates = new[] { 0, 1, 3 };                      // i, f, o lie in [0, 1]; g lies in [-1, 1]
var rows = new List<double[]>();
var rowNames = new List<string>();
foreach (var gate in sigmoidGates)
    for (var unit = 0; unit < hiddenSize; unit++)
    {
        rows.Add(gateHistory.Select(g => (double)g[gate][0, unit].item<float>()).ToArray());
        rowNames.Add($"{gateNames[gate]} · unit {unit}");
    }
var gateMin = rows.Min(r => r.Min());
var gateMax = rows.Max(r => r.Max());
Console.WriteLine($"gate activations range from {gateMin:F3} to {gateMax:F3}");
display(CourseCharts.Figure("Gate activations, first sequence", "time step", "gate · hidden unit", new[]
{
    CourseCharts.Heatmap(rows.ToArray(), rowNames, Enumerable.Range(0, sequenceLength).Select(t => t.ToString()), "gate", zMin: 0, zMax: 1),
}, height: 520));

// And the memory itself: the cell state $c_t$ of each hidden unit over time, with the input for reference. Unlike
// $h_t$, which $\tanh$ squashes into $(-1, 1)$, nothing squashes $c_t$. Each step keeps $f_t \odot c_{t-1}$ and adds
// $i_t \odot g_t$, which lies in $(-1, 1)$, so $|c_t| < f_t\,|c_{t-1}| + 1$ for every unit: while a forget gate stays
// near 1 the cell state can grow past 1, step after step, and a forget gate well below 1 keeps it small. The cell
// prints the largest $|c_t|$ and $|h_t|$ of this run.

// ── cell 22 ──
var largestCellState = cellStates.Max(c => c.abs().max().item<float>());
var largestHiddenState = handStates.Max(h => h.abs().max().item<float>());
Console.WriteLine($"largest |c_t|: {largestCellState:F3}; largest |h_t|: {largestHiddenState:F3}");
var steps = Enumerable.Range(0, sequenceLength).ToArray();
var traces = new List<PlotlyTrace>
{
    CourseCharts.Line(steps, steps.Select(t => x[t, 0, 0].item<float>()), "input x", CourseCharts.Colours.Data, dotted: true),
};
for (var unit = 0; unit < hiddenSize; unit++)
    traces.Add(CourseCharts.Line(steps, cellStates.Select(c => c[0, unit].item<float>()), $"cell state c · unit {unit}",
        CourseCharts.Colours.Cycle[(unit + 1) % CourseCharts.Colours.Cycle.Length]));
display(CourseCharts.Figure("Cell state trajectory, first sequence", "time step", "value", traces));

// ## Summary
//
// - An LSTM step is six lines of tensor code: three sigmoid gates, a `tanh` candidate, an additive cell-state
//   update, and a gated output.
// - `nn.LSTMCell` packs the four gates' weights as **i, f, g, o**; our hand-written step matches it to float32
//   rounding, and a loop of cell steps matches `nn.LSTM` with the same weights.
// - `nn.LSTM(batchFirst: true)` wants `(batch, time, features)` and returns every step's $h$ plus the final
//   $(h_n, c_n)$.
// - One cell, with the same weights, runs at every time step: the parameter count does not grow with the sequence.
// - In TorchSharp 0.107, `LSTMCell.call(x)` without a state throws (the message is printed above): pass `(h0, c0)`,
//   zeros to start.

// ## Exercises
//
// Each exercise has a cell for your answer and a check cell after it: run both, and the check says whether your answer
// holds or which condition does not, yet. Worked solutions are in [solutions/02-lstm-cell-math.md](../solutions/02-lstm-cell-math.md)
// — try first.
//
// ### Exercise 2.1 — A float64 reference
//
// The hand-written step and `nn.LSTMCell` differ by float32 rounding — but which of them is nearer the exact values?
// The same equations in float64, with the same weights, carry about sixteen significant digits: a reference against
// which both float32 runs can be measured. Write `HiddenStatesInFloat64`: `LstmStep` over `x` from zero states, with
// `x` and `cell`'s four weight tensors converted to float64 (`.to(float64)`), returning every step's $h$ stacked,
// `(time, batch, hidden)`, in float64. Then, if you like, print how far each float32 run, `handStates` and
// `torchStates`, is from it.

// ── cell 25 ──
// Exercise 2.1: your answer. LstmStep over x in float64, from zero states: every step's h, (time, batch, hidden).
Tensor HiddenStatesInFloat64() => throw new NotImplementedException("your answer");

// ── cell 26 ──
/// <summary>The same sequence through an nn.LSTMCell made in float64, with cell's weights.</summary>
Tensor StatesOfFloat64Cell()
{
    using var noGradReference = no_grad();
    var cell64 = nn.LSTMCell(inputSize, hiddenSize, dtype: float64);
    cell64.weight_ih.copy_(cell.weight_ih); cell64.weight_hh.copy_(cell.weight_hh);
    cell64.bias_ih.copy_(cell.bias_ih); cell64.bias_hh.copy_(cell.bias_hh);
    var (h64, c64) = (zeros(batchSize, hiddenSize, dtype: float64), zeros(batchSize, hiddenSize, dtype: float64));
    var states64 = new List<Tensor>();
    for (var step = 0; step < sequenceLength; step++)
    {
        (h64, c64) = cell64.call(x[step].to(float64), (h64, c64));
        states64.Add(h64);
    }
    return stack(states64);
}
double LargestGap(Tensor a, Tensor b) => a.to(float64).sub(b.to(float64)).abs().max().item<double>();
display(Exercise.Check("2.1",
    ("it holds every step's h: (time, batch, hidden)",
        () => HiddenStatesInFloat64().shape.SequenceEqual(new long[] { sequenceLength, batchSize, hiddenSize })),
    ("it is in float64", () => HiddenStatesInFloat64().dtype == float64),
    ("it matches an nn.LSTMCell made in float64 with the same weights to 1e-12: computed in float64, not converted at the end",
        () => LargestGap(HiddenStatesInFloat64(), StatesOfFloat64Cell()) < 1e-12),
    ("the chapter's float32 hand-written states are within 1e-5 of it: float32 rounding, as the chapter said",
        () => LargestGap(stack(handStates), HiddenStatesInFloat64()) < 1e-5)));

// ### Exercise 2.2 — Counting an LSTM's weights
//
// A layer of $H$ units reading $F$ features has four blocks — three gates and the candidate — each with an $(H, F)$
// input matrix, an $(H, H)$ recurrent matrix and two bias vectors of $H$: $4H(F + H + 2)$ numbers, whatever the length
// of the sequence. `nn.LSTM(…, numLayers: L)` stacks $L$ such layers, each reading the $h$ of the layer below. Write
// `LstmWeightCount`, the number of weights of `nn.LSTM(features, units, numLayers: layers)`. The starter counts one
// layer.

// ── cell 28 ──
// Exercise 2.2: your answer. The number of weights of nn.LSTM(features, units, numLayers: layers).
long LstmWeightCount(int features, int units, int layers) => 4L * units * (features + units + 2);   // one layer, so far

// ── cell 29 ──
long WeightCount(nn.Module module) => module.parameters().Sum(w => w.numel());
display(Exercise.Check("2.2",
    ($"one layer: as many as this chapter's nn.LSTM({inputSize}, {hiddenSize})", () => LstmWeightCount(inputSize, hiddenSize, 1) == WeightCount(lstm)),
    ("one layer of 50 units reading 3 features: as many as nn.LSTM(3, 50)", () => LstmWeightCount(3, 50, 1) == WeightCount(nn.LSTM(3, 50))),
    ("two layers: as many as nn.LSTM(1, 50, numLayers: 2), whose second layer reads the first layer's 50 values of h",
        () => LstmWeightCount(1, 50, 2) == WeightCount(nn.LSTM(1, 50, numLayers: 2))),
    ("three layers of 7 units reading 5 features: as many as nn.LSTM(5, 7, numLayers: 3)",
        () => LstmWeightCount(5, 7, 3) == WeightCount(nn.LSTM(5, 7, numLayers: 3)))));

// ### Exercise 2.3 — A GRU step, by hand
//
// The gated recurrent unit (Cho et al., 2014) has no separate cell state: two gates and a candidate update $h$
// directly. In PyTorch's form, which TorchSharp's `nn.GRUCell` wraps:
//
// $$
// \begin{aligned}
// r_t &= \sigma\!\left(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr}\right) && \text{reset gate} \\
// z_t &= \sigma\!\left(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz}\right) && \text{update gate} \\
// n_t &= \tanh\!\left(W_{in} x_t + b_{in} + r_t \odot \left(W_{hn} h_{t-1} + b_{hn}\right)\right) && \text{candidate} \\
// h_t &= (1 - z_t) \odot n_t + z_t \odot h_{t-1}
// \end{aligned}
// $$
//
// `nn.GRUCell` packs its weights as `nn.LSTMCell` does, in three blocks in the order **r, z, n**: `weight_ih`
// $(3H, F)$, `weight_hh` $(3H, H)$, `bias_ih` and `bias_hh` $(3H)$. Mind where the reset gate acts: on the recurrent
// part of the candidate only, its bias included, so the input and recurrent products cannot all be summed before the
// split, as `LstmStep` sums them. Write `GruStep`.

// ── cell 31 ──
// Exercise 2.3: your answer. One GRU step: the new h, (batch, hidden).
Tensor GruStep(Tensor x, Tensor h, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) => throw new NotImplementedException("your answer");

// ── cell 32 ──
manual_seed(seed);
var gruCell = nn.GRUCell(inputSize, hiddenSize);
/// <summary>The largest |h_hand − h_GRUCell| over the first steps of x, both from h = 0.</summary>
double GruGap(int stepCount)
{
    using var noGradGru = no_grad();
    var (hByHand, hByCell) = (zeros(batchSize, hiddenSize), zeros(batchSize, hiddenSize));
    var largest = 0.0;
    for (var step = 0; step < stepCount; step++)
    {
        hByHand = GruStep(x[step], hByHand, gruCell.weight_ih, gruCell.weight_hh, gruCell.bias_ih, gruCell.bias_hh);
        hByCell = gruCell.call(x[step], hByCell);
        largest = Math.Max(largest, hByHand.sub(hByCell).abs().max().item<float>());
    }
    return largest;
}
display(Exercise.Check("2.3",
    ("it returns the new h, (batch, hidden)", () => GruStep(x[0], zeros(batchSize, hiddenSize), gruCell.weight_ih, gruCell.weight_hh,
        gruCell.bias_ih, gruCell.bias_hh).shape.SequenceEqual(new long[] { batchSize, hiddenSize })),
    ("its first step, from h = 0, matches nn.GRUCell's to float32 rounding (1e-5)", () => GruGap(1) < 1e-5),
    ($"all {sequenceLength} steps match nn.GRUCell's to float32 rounding (1e-5)", () => GruGap(sequenceLength) < 1e-5)));

// **Next:** [Chapter 3 — Airline passengers](03-airline-windowing.ipynb) turns a real monthly series into windows and
// trains an `nn.LSTM` on them.
