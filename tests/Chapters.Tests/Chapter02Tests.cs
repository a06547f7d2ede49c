using NotebookRunner.Host;

namespace Chapters.Tests;

public sealed class Chapter02Run() : ChapterRun("02-lstm-cell-math.ipynb",
    new Dictionary<string, object> { ["sequenceLength"] = 30, ["hiddenSize"] = 3 },
    "maxDifference", "lstmVsCellDifference", "lastStepDifference", "gateMin", "gateMax");

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
    public void Gate_values_lie_in_0_1()
    {
        Assert.InRange(_r.Variable<double>("gateMin"), 0, 1);
        Assert.InRange(_r.Variable<double>("gateMax"), 0, 1);
    }

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
    public void The_hidden_state_stays_inside_minus_1_1_and_below_the_largest_cell_state()
    {
        var m = System.Text.RegularExpressions.Regex.Match(_r.Stdout, @"largest \|c_t\|: (\S+); largest \|h_t\|: (\S+)");
        Assert.True(m.Success, "the chapter prints the largest |c_t| and |h_t|");
        var (c, h) = (double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                      double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(h, 0, 0.9995);   // |h_t| = o_t · |tanh(c_t)| < 1, printed to 3 decimals
        Assert.True(h <= c, $"|h_t| = o_t · |tanh(c_t)| ≤ |c_t|, yet largest |h_t| {h} > largest |c_t| {c}");
    }
}

[Trait("Category", Chapter.TutorialScale)]
public class Chapter02TutorialScaleTests
{
    [Fact]
    public async Task At_tutorial_scale_the_cells_agree_and_the_gates_stay_in_range()
    {
        var r = await Chapter.RunAsync("02-lstm-cell-math.ipynb", new Dictionary<string, object>(),
            "maxDifference", "lstmVsCellDifference", "gateMin", "gateMax");
        Assert.InRange(r.Variable<double>("maxDifference"), 0, 1e-5);
        Assert.InRange(r.Variable<double>("lstmVsCellDifference"), 0, 1e-5);
        Assert.InRange(r.Variable<double>("gateMin"), 0, 1);
        Assert.InRange(r.Variable<double>("gateMax"), 0, 1);
    }
}
