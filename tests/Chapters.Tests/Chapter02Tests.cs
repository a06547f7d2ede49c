using NotebookRunner.Host;

namespace Chapters.Tests;

public sealed class Chapter02Run() : ChapterRun("02-lstm-cell-math.ipynb",
    new Dictionary<string, object> { ["sequenceLength"] = 30, ["hiddenSize"] = 3 },
    [.. GateCheck.Variables, "maxDifference", "lstmVsCellDifference", "lastStepDifference"])
{
    protected override string? Epilogue => GateCheck.Epilogue;
}

/// <summary>
/// The gate heatmap's rows (the chapter's <c>rows</c>) against the LSTM equations worked out here, in doubles, from the
/// chapter's own cell weights and input: one row per sigmoid gate (i, f, o) and hidden unit, over the first sequence.
/// </summary>
public static class GateCheck
{
    public static readonly string[] Variables = ["rows", "hiddenSize", "gateCheckWeightIh", "gateCheckWeightHh", "gateCheckBiasIh", "gateCheckBiasHh",
        "gateCheckInput", "gateCheckBatch"];

    /// <summary>The cell's parameters and the input, (time, batch, features), as flat arrays of doubles.</summary>
    public const string Epilogue = """
        double[] GateCheckValues(Tensor t) => t.detach().contiguous().to_type(ScalarType.Float64).data<double>().ToArray();
        var gateCheckWeightIh = GateCheckValues(cell.weight_ih);
        var gateCheckWeightHh = GateCheckValues(cell.weight_hh);
        var gateCheckBiasIh = GateCheckValues(cell.bias_ih);
        var gateCheckBiasHh = GateCheckValues(cell.bias_hh);
        var gateCheckInput = GateCheckValues(x);
        var gateCheckBatch = (int)x.shape[1];
        """;

    /// <summary>The cell's equations worked out in doubles from its parameters, for every sequence from zero states: the
    /// first sequence's i, f and o gates (a row per gate and unit, as the chapter orders them, a column per step), and the
    /// largest |c_t| and |h_t| over every sequence and step.</summary>
    public static (double[][] FirstSequenceGates, double LargestCell, double LargestHidden) Recompute(NotebookRunResult r)
    {
        var hidden = r.Variable<int>("hiddenSize");
        var (wIh, wHh) = (r.Variable<double[]>("gateCheckWeightIh"), r.Variable<double[]>("gateCheckWeightHh"));
        var (bIh, bHh) = (r.Variable<double[]>("gateCheckBiasIh"), r.Variable<double[]>("gateCheckBiasHh"));
        var (input, batch) = (r.Variable<double[]>("gateCheckInput"), r.Variable<int>("gateCheckBatch"));
        var features = wIh.Length / (4 * hidden);
        var steps = input.Length / (batch * features);
        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

        var gates = new double[3 * hidden][];
        for (var row = 0; row < gates.Length; row++) gates[row] = new double[steps];
        var (largestC, largestH) = (0.0, 0.0);
        for (var b = 0; b < batch; b++)
        {
            var (h, c) = (new double[hidden], new double[hidden]);
            for (var t = 0; t < steps; t++)
            {
                var z = new double[4 * hidden];
                for (var k = 0; k < z.Length; k++)
                {
                    z[k] = bIh[k] + bHh[k];
                    for (var f = 0; f < features; f++) z[k] += wIh[k * features + f] * input[(t * batch + b) * features + f];
                    for (var j = 0; j < hidden; j++) z[k] += wHh[k * hidden + j] * h[j];
                }
                for (var u = 0; u < hidden; u++)
                {
                    var (i, f, g, o) = (Sigmoid(z[u]), Sigmoid(z[hidden + u]), Math.Tanh(z[2 * hidden + u]), Sigmoid(z[3 * hidden + u]));
                    c[u] = f * c[u] + i * g;
                    h[u] = o * Math.Tanh(c[u]);
                    if (b == 0) (gates[u][t], gates[hidden + u][t], gates[2 * hidden + u][t]) = (i, f, o);
                    (largestC, largestH) = (Math.Max(largestC, Math.Abs(c[u])), Math.Max(largestH, Math.Abs(h[u])));
                }
            }
        }
        return (gates, largestC, largestH);
    }

    /// <summary>The largest difference between the heatmap's rows and the gates the equations give.</summary>
    public static double LargestDifference(NotebookRunResult r)
    {
        var expected = Recompute(r).FirstSequenceGates;
        var rows = r.Variable<double[][]>("rows");
        Assert.Equal(expected.Length, rows.Length);
        Assert.All(rows, row => Assert.Equal(expected[0].Length, row.Length));
        return expected.Zip(rows).SelectMany(p => p.First.Zip(p.Second, (e, a) => Math.Abs(e - a))).Max();
    }
}

public class Chapter02Tests(Chapter02Run run) : IClassFixture<Chapter02Run>
{
    private readonly NotebookRunResult _r = run.Result;

    [Fact]
    public void The_hand_written_cell_matches_nn_LSTMCell_within_1e_5()
    {
        var difference = _r.Variable<double>("maxDifference");
        Assert.InRange(difference, 0, 1e-5);
    }

    [Fact]
    public void A_loop_of_LSTMCell_steps_matches_nn_LSTM_within_1e_5()
    {
        Assert.InRange(_r.Variable<double>("lstmVsCellDifference"), 0, 1e-5);
        Assert.Equal(0, _r.Variable<double>("lastStepDifference"));
    }

    [Fact]
    public void The_heatmap_shows_the_input_forget_and_output_gates_the_equations_give() =>
        Assert.InRange(GateCheck.LargestDifference(_r), 0, 1e-5);

    [Fact]
    public void Shapes_are_printed_as_the_chapter_explains_them()
    {
        Assert.Contains("weight_ih  12 × 1", _r.Stdout);
        Assert.Contains("weight_hh  12 × 3", _r.Stdout);
        Assert.Contains("input  2 × 30 × 1   (batch, time, features)", _r.Stdout);
        Assert.Contains("output 2 × 30 × 3   (batch, time, hidden)", _r.Stdout);
        Assert.Contains("h_n    1 × 2 × 3    (layers, batch, hidden)", _r.Stdout);
    }

    [Fact]
    public void Both_charts_are_displayed()
    {
        Assert.Equal(
            ["Plotly chart \"Gate activations, first sequence\" with 1 trace",
             "Plotly chart \"Cell state trajectory, first sequence\" with 4 traces"],
            Chapter.ChartTitles(_r));
    }

    [Fact]
    public void Calling_LSTMCell_without_a_state_throws_and_the_chapter_prints_the_message()
    {
        Assert.Contains("LSTMCell.call(x) without a state throws ", _r.Stdout);
        Assert.DoesNotContain("without a state returned", _r.Stdout);
    }

    [Fact]
    public void One_cell_runs_every_step_with_the_same_parameters_and_nn_LSTM_holds_the_same_four_tensors()
    {
        // inputSize 1, hiddenSize 3: 12 × 1 + 12 × 3 + 12 + 12 parameters, whatever the sequence length.
        Assert.Contains("30 steps of one cell with 72 parameters", _r.Stdout);
        Assert.Contains("weight_ih_l0  12 × 1", _r.Stdout);
        Assert.Contains("weight_hh_l0  12 × 3", _r.Stdout);
        Assert.Contains("bias_hh_l0    12", _r.Stdout);
    }

    [Fact]
    public void The_printed_largest_cell_and_hidden_states_are_those_of_every_sequence_and_step()
    {
        var m = System.Text.RegularExpressions.Regex.Match(_r.Stdout, @"largest \|c_t\|: (\S+); largest \|h_t\|: (\S+)");
        Assert.True(m.Success, "the chapter prints the largest |c_t| and |h_t|");
        var (c, h) = (double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                      double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        var (_, expectedC, expectedH) = GateCheck.Recompute(_r);
        // Printed to 3 decimals from float32 states: within half a unit of the last digit, and float32's error.
        Assert.InRange(Math.Abs(c - expectedC), 0, 0.0005 + 1e-5);
        Assert.InRange(Math.Abs(h - expectedH), 0, 0.0005 + 1e-5);
    }
}

[Trait("Category", Chapter.TutorialScale)]
public class Chapter02TutorialScaleTests
{
    [Fact]
    public async Task At_tutorial_scale_the_cells_agree_and_the_heatmap_shows_the_gates_the_equations_give()
    {
        var r = await Chapter.RunWithEpilogueAsync("02-lstm-cell-math.ipynb", new Dictionary<string, object>(), GateCheck.Epilogue,
            [.. GateCheck.Variables, "maxDifference", "lstmVsCellDifference"]);
        Assert.InRange(r.Variable<double>("maxDifference"), 0, 1e-5);
        Assert.InRange(r.Variable<double>("lstmVsCellDifference"), 0, 1e-5);
        Assert.InRange(GateCheck.LargestDifference(r), 0, 1e-5);
    }
}
