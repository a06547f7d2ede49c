using LstmNotebooks.Data;
using LstmNotebooks.Models;
using LstmNotebooks.Runtime;
using LstmNotebooks.Training;

namespace LstmNotebooks.Tests;

public class SequenceTests
{
    public SequenceTests() => TorchRuntime.EnsureAvailable();

    [Fact]
    public void Sine_waves_are_N_shifted_copies_of_sin_x_over_T()
    {
        var w = SineWaves.Generate(count: 5, length: 50, period: 20, seed: 2);
        Assert.Equal((5, 50), (w.Count, w.Length));
        Assert.All(w.Shifts, s => Assert.InRange(s, -80, 79));
        for (var i = 0; i < 5; i++)
            Assert.Equal((float)Math.Sin((7 + w.Shifts[i]) / 20.0), w.Values[i, 7]);
        Assert.Equal(w.Values, SineWaves.Generate(5, 50, 20, 2).Values);
    }

    [Fact]
    public void Cos_sin_waves_draw_their_shape_within_the_ranges()
    {
        var w = CosSinWaves.Draw(11);
        Assert.InRange(w.Count, 50, 199);
        Assert.InRange(w.Length, 800, 1199);
        Assert.InRange(w.Period, 10, 29);
        Assert.Equal((float)Math.Cos(Math.Pow(Math.Sin((3 + w.Shifts[0]) / (double)w.Period), 2)), w.Values[0, 3]);
        Assert.Throws<ArgumentException>(() => CosSinWaves.Draw(1, minCount: 5, maxCount: 5));
    }

    [Fact]
    public void Minutes_seasons_have_one_level_per_season_and_the_exact_trend()
    {
        var m = MinutesData.Seasons(seasons: 4, games: 11, seed: 5);
        for (var s = 0; s < 4; s++)
            for (var g = 1; g < 11; g++)
                Assert.Equal(1.6, m[s, g] - m[s, g - 1], 4);
        Assert.NotEqual(m[0, 0], m[1, 0]);
    }

    [Fact]
    public void The_two_cell_model_predicts_every_step_and_the_future()
    {
        using var scope = NewDisposeScope();
        using var model = new TwoCellLstm(8);
        Assert.Equal(new long[] { 3, 20 }, model.forward(zeros(3, 20)).shape);
        Assert.Equal(new long[] { 3, 35 }, model.forward(zeros(3, 20), future: 15).shape);
        Assert.Throws<ArgumentException>(() => model.forward(zeros(3, 20, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.forward(zeros(3, 20), future: -1));
    }

    [Fact]
    public void Lbfgs_tracks_the_best_step_and_restores_it()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var waves = SineWaves.Generate(8, 60, 10, 1);
        var data = tensor(waves.Values);
        var (x, y) = (data[2.., ..^1], data[2.., 1..]);
        var (tx, ty) = (data[..2, ..^1], data[..2, 1..]);
        using var model = new TwoCellLstm(12);
        using var trainer = new LbfgsTrainer(model, learningRate: 0.1, maxIterations: 5);
        using var mse = nn.MSELoss();
        double Test() { using var g = no_grad(); return mse.call(model.forward(tx), ty).item<float>(); }
        var reports = trainer.Train(4, () => mse.call(model.forward(x), y), Test);

        Assert.Equal([1, 2, 3, 4], reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.InRange(r.Evaluations, 1, 6));
        var best = reports.MinBy(r => r.TestLoss!.Value)!;
        Assert.Equal(best.Step, trainer.BestStep);
        Assert.Equal(best.TestLoss!.Value, trainer.BestLoss);
        Assert.Equal(best.Step, trainer.RestoreBest());
        Assert.Equal(trainer.BestLoss, Test());
    }

    [Fact]
    public void Lbfgs_stops_with_the_step_when_the_loss_is_not_finite()
    {
        using var scope = NewDisposeScope();
        using var model = new TwoCellLstm(4);
        using var trainer = new LbfgsTrainer(model);
        var target = full(2, 9, float.NaN);
        using var mse = nn.MSELoss();
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Train(2, () => mse.call(model.forward(zeros(2, 9)), target)));
        Assert.Contains("L-BFGS step 1", e.Message);
        Assert.Throws<InvalidOperationException>(() => new LbfgsTrainer(model).RestoreBest());
    }

    [Theory]
    [InlineData(1, 10, "1 series; at least 2")]
    [InlineData(5, 1, "1 point(s); at least 2")]
    public void The_builder_refuses_data_it_cannot_use(int n, int l, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => SequenceModelBuilder.Prepare(new float[n, l]));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_builder_refuses_nan_and_infinity_and_says_where()
    {
        var data = new float[3, 5];
        data[1, 4] = float.PositiveInfinity;
        Assert.Contains("series 1, point 4", Assert.Throws<ArgumentException>(() => SequenceModelBuilder.Prepare(data)).Message);
    }

    [Fact]
    public void The_builder_derives_split_tensors_and_future_from_the_shape()
    {
        var data = new float[20, 7];
        for (var i = 0; i < 20; i++) for (var j = 0; j < 7; j++) data[i, j] = i * 100 + j;
        using var p = SequenceModelBuilder.Prepare(data, 0.95);
        Assert.Equal((20, 7, 19, 1, 7), (p.SeriesCount, p.Length, p.TrainCount, p.TestCount, p.Future));
        Assert.Equal(new long[] { 19, 6 }, p.TrainInputs.shape);
        Assert.Equal(new long[] { 1, 6 }, p.TestTargets.shape);
        Assert.Equal(100f, p.TrainInputs[0, 0].item<float>());   // test series come first, as in chapter 4
        Assert.Equal(1f, p.TestTargets[0, 0].item<float>());
        using var model = SequenceModelBuilder.BuildModel(p, hiddenSize: 16);
        Assert.Equal(16, model.HiddenSize);
    }
}
