using LstmNotebooks.Data;
using LstmNotebooks.Models;
using LstmNotebooks.Runtime;
using LstmNotebooks.Training;

namespace LstmNotebooks.Tests;

public class ChapterPieceTests
{
    public ChapterPieceTests() => TorchRuntime.EnsureAvailable();

    [Fact]
    public void The_minutes_season_is_seeded_and_follows_its_formula()
    {
        var a = MinutesData.Season(42);
        Assert.Equal(a.Minutes, MinutesData.Season(42).Minutes);
        Assert.NotEqual(a.Minutes, MinutesData.Season(43).Minutes);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => (float)i), a.Games);
        var residuals = a.Games.Zip(a.Minutes, (g, m) => m - (1.6 * g + 4)).ToArray();
        Assert.InRange(residuals.Average(), 9, 11);          // Normal(10, 1) noise
        Assert.All(residuals, r => Assert.InRange(r, 5, 15));
    }

    [Fact]
    public void Seeded_normal_noise_has_the_asked_mean_and_deviation()
    {
        var noise = new SeededNormal(1);
        var draws = Enumerable.Range(0, 20000).Select(_ => noise.Next(10, 2)).ToArray();
        var mean = draws.Average();
        var sd = Math.Sqrt(draws.Select(d => (d - mean) * (d - mean)).Average());
        Assert.InRange(mean, 9.95, 10.05);
        Assert.InRange(sd, 1.95, 2.05);
    }

    [Fact]
    public void The_manual_lstm_step_matches_nn_LSTMCell()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var cell = nn.LSTMCell(2, 5);
        var x = randn(4, 2);
        var h = randn(4, 5);
        var c = randn(4, 5);
        var (hManual, cManual, gates) = ManualLstmCell.Step(x, h, c, cell.weight_ih!, cell.weight_hh!, cell.bias_ih!, cell.bias_hh!);
        var (hTorch, cTorch) = cell.call(x, (h, c));
        Assert.True(hManual.allclose(hTorch, rtol: 0, atol: 1e-6));
        Assert.True(cManual.allclose(cTorch, rtol: 0, atol: 1e-6));
        foreach (var gate in new[] { gates.Input, gates.Forget, gates.Output })
            Assert.True(gate.min().item<float>() >= 0 && gate.max().item<float>() <= 1);
    }

    [Fact]
    public void The_naive_mlp_has_the_chapters_shape()
    {
        using var model = new NaiveMlp(13);
        Assert.Equal(40, model.parameters().Sum(p => p.numel()));
        using var y = model.call(zeros(5, 1));
        Assert.Equal(new long[] { 5, 1 }, y.shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NaiveMlp(0));
    }

    [Fact]
    public void Full_batch_sgd_reports_at_1_every_n_and_the_end_and_lowers_the_loss()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = new NaiveMlp(8);
        var x = linspace(0, 1, 20).reshape(-1, 1);
        var y = 3 * x + 1;
        var seen = new List<int>();
        var history = new FullBatchSgdTrainer(model, 0.05).Train(x, y, 250, reportEvery: 100, onReport: r => seen.Add(r.Epoch));
        Assert.Equal([1, 100, 200, 250], seen);
        Assert.True(history.Last.TrainLoss < history.First.TrainLoss / 10);
        Assert.All(history.Reports, r => Assert.Null(r.ValidationLoss));
    }

    [Fact]
    public void Full_batch_sgd_stops_with_the_epoch_when_the_loss_diverges()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = new NaiveMlp(8);
        var x = linspace(0, 1, 20).reshape(-1, 1);
        var y = x.clone();
        y[3, 0] = float.NaN;
        var e = Assert.Throws<TrainingDivergedException>(() => new FullBatchSgdTrainer(model, 0.01).Train(x, y, 10));
        Assert.Contains("epoch 1", e.Message);
        Assert.All(model.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));   // stopped before the bad step
    }

    [Fact]
    public void Full_batch_sgd_rejects_bad_arguments_with_their_names()
    {
        using var scope = NewDisposeScope();
        using var model = new NaiveMlp(4);
        var x = zeros(10, 1);
        Assert.Contains("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new FullBatchSgdTrainer(model, 0)).Message);
        var trainer = new FullBatchSgdTrainer(model, 0.1);
        Assert.Contains("epochs", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Train(x, zeros(10, 1), 0)).Message);
        Assert.Contains("same number of rows", Assert.Throws<ArgumentException>(() => trainer.Train(x, zeros(9, 1), 5)).Message);
        Assert.Contains("both validation", Assert.Throws<ArgumentException>(() => trainer.Train(x, zeros(10, 1), 5, validationInputs: x)).Message);
    }

    [Fact]
    public void Training_steps_leave_no_tensor_behind()
    {
        using var model = new NaiveMlp(8);
        using var x = linspace(0, 1, 20).reshape(-1, 1);
        using var y = 2 * x;
        var trainer = new FullBatchSgdTrainer(model, 0.01);
        trainer.Train(x, y, 10);                                   // warm-up: optimiser state etc.
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        trainer.Train(x, y, 500);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
