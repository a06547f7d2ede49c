using LstmNotebooks.Data;
using LstmNotebooks.Models;
using LstmNotebooks.Training;
using LstmNotebooks.Windowing;

namespace LstmNotebooks.Benchmarks;

/// <summary>
/// The helper library's real code paths at the chapters' (tutorial) scale, one case per row of the ratio table. Each
/// case builds what the chapter builds — same data, shapes, hyper-parameters, dtype (float32) and seeds — and times
/// the library's trainer or model doing it.
/// </summary>
public sealed class TrainingBenchmarks(BenchSettings settings)
{
    /// <summary>Chapter 1: one epoch of <see cref="FullBatchSgdTrainer"/> on the 9 training games, 1-13-1 MLP.</summary>
    public Measurement MlpEpoch()
    {
        using var scope = NewDisposeScope();
        var (x, y) = MinutesTrainingSet();
        manual_seed(42);
        using var model = new NaiveMlp(13);
        var trainer = new FullBatchSgdTrainer(model, 1e-3);
        var epochs = settings.Quick ? 2_000 : 10_000;
        return Harness.Time("mlp-epoch", "epoch", epochs, 1, 5, () => trainer.Train(x, y, epochs, reportEvery: epochs));
    }

    /// <summary>Chapter 3: one epoch of <see cref="AdamMiniBatchTrainer"/> (batch 8, shuffled) over the airline windows.</summary>
    public Measurement AirlineEpoch(int lookback)
    {
        using var scope = NewDisposeScope();
        var (train, test) = AirlineWindows(lookback);
        manual_seed(1);
        using var model = new AirModel(50);
        var trainer = new AdamMiniBatchTrainer(model, batchSize: 8, shuffleSeed: 1);
        var epochs = settings.Quick ? 10 : 40;
        return Harness.Time($"airline-epoch-lookback{lookback}", "epoch", epochs, 1, 5,
            () => trainer.Train(train.Features, train.Targets, test.Features, test.Targets, epochs, reportEvery: epochs),
            note: "includes the trainer's RMSE reports before and after the timed epochs");
    }

    /// <summary>
    /// Chapter 4: one closure evaluation of <see cref="LbfgsTrainer"/> — zero the gradients, <see cref="TwoCellLstm"/>
    /// forward over 97 waves × 999 steps (hidden 64), MSE, backward — in a dispose scope as the trainer runs it.
    /// </summary>
    public Measurement SineClosure()
    {
        using var data = SineData();
        manual_seed(2);
        using var model = new TwoCellLstm(64);
        using var mse = nn.MSELoss();
        return Harness.Time("sine-closure", "evaluation", 1, 1, settings.Quick ? 3 : 5, () =>
        {
            using var step = NewDisposeScope();
            model.zero_grad();
            var loss = mse.call(model.forward(data.TrainInputs), data.TrainTargets);
            loss.backward();
        });
    }

    /// <summary>Chapter 4: one step of <see cref="LbfgsTrainer"/> (lr 0.08, up to 20 evaluations), without a test set.</summary>
    public Measurement SineLbfgsStep()
    {
        using var data = SineData();
        manual_seed(2);
        using var model = new TwoCellLstm(64);
        using var mse = nn.MSELoss();
        using var trainer = new LbfgsTrainer(model, learningRate: 0.08);
        var evaluations = new List<int>();
        var result = Harness.Time("sine-lbfgs-step", "step", 1, 0, 2,
            () => evaluations.Add(trainer.Train(1, () => mse.call(model.forward(data.TrainInputs), data.TrainTargets))[0].Evaluations));
        return result with { Note = $"closure evaluations per step: {string.Join(", ", evaluations)}; includes the trainer's no-grad loss after the step" };
    }

    /// <summary>Chapter 4: the test forecast — 3 waves, 999 known steps and 1000 more, under no_grad.</summary>
    public Measurement SineForecast()
    {
        using var data = SineData();
        manual_seed(2);
        using var model = new TwoCellLstm(64);
        return Harness.Time("sine-forecast-1000", "forecast", 1, 1, settings.Quick ? 3 : 5, () =>
        {
            using var step = NewDisposeScope();
            using var noGrad = no_grad();
            model.forward(data.TestInputs, future: 1000);
        });
    }

    /// <summary>Chapter 5: the builder — <see cref="SequenceModelBuilder.Prepare"/> and a model for the drawn waves.</summary>
    public Measurement Chapter5Builder()
    {
        var drawn = CosSinWaves.Draw(11);
        return Harness.Time("chapter5-builder", "build", 20, 1, 5, () =>
        {
            for (var i = 0; i < 20; i++)
            {
                using var problem = SequenceModelBuilder.Prepare(drawn.Values);
                using var model = SequenceModelBuilder.BuildModel(problem);
            }
        }, note: $"{drawn.Count} waves × {drawn.Length} points");
    }

    internal static (Tensor X, Tensor Y) MinutesTrainingSet()
    {
        var season = MinutesData.Season(42, games: 11);
        return (tensor(season.Games[..9]).reshape(-1, 1), tensor(season.Minutes[..9]).reshape(-1, 1));
    }

    internal (WindowedDataset Train, WindowedDataset Test) AirlineWindows(int lookback)
    {
        var airline = AirlinePassengers.Load(settings.AirlineCsv);
        var (train, test) = ChronologicalSplit.Split(airline.Values, 0.67);
        return (WindowedDataset.Create(train, lookback), WindowedDataset.Create(test, lookback));
    }

    internal static SequenceProblem SineData()
    {
        var waves = SineWaves.Generate(100, 1000, 20, seed: 2);
        return SequenceModelBuilder.Prepare(waves.Values, trainProportion: 0.97);   // 3 test waves, as chapter 4
    }
}
