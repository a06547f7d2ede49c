using LstmNotebooks.Models;
using LstmNotebooks.Training;

namespace LstmNotebooks.Benchmarks;

/// <summary>Resident memory after N and 10·N epochs of a training loop; the growth between them should be about zero.</summary>
public sealed record MemoryGrowth(string Name, int N, double AfterNMiB, double After10NMiB)
{
    public double GrowthMiB => After10NMiB - AfterNMiB;
}

/// <summary>How TorchSharp's tensor counts move from step to step of one trainer.</summary>
/// <param name="NativeDrift">Change in tensors that hold a native tensor (<c>Tensor.TotalCount</c>) from the first report to the last.</param>
/// <param name="ScopeLiveDrift">Change in the dispose-scope statistic <c>ThreadTotalLiveCount</c> over the same steps.</param>
public sealed record TensorCounts(string Name, int Steps, long NativeDrift, long ScopeLiveDrift, string Note);

public sealed class MemoryBenchmarks(BenchSettings settings)
{
    private readonly TrainingBenchmarks _training = new(settings);

    public MemoryGrowth MlpGrowth()
    {
        using var scope = NewDisposeScope();
        var (x, y) = TrainingBenchmarks.MinutesTrainingSet();
        manual_seed(42);
        using var model = new NaiveMlp(13);
        var trainer = new FullBatchSgdTrainer(model, 1e-3);
        var n = settings.Quick ? 5_000 : 20_000;
        return Growth("mlp: RSS after N vs 10·N epochs", n, epochs => trainer.Train(x, y, epochs, reportEvery: epochs));
    }

    public MemoryGrowth AirlineGrowth()
    {
        using var scope = NewDisposeScope();
        var (train, test) = _training.AirlineWindows(4);
        manual_seed(1);
        using var model = new AirModel(50);
        var trainer = new AdamMiniBatchTrainer(model, 8, 1);
        var n = settings.Quick ? 10 : 40;
        return Growth("airline lookback 4: RSS after N vs 10·N epochs", n,
            epochs => trainer.Train(train.Features, train.Targets, test.Features, test.Targets, epochs, reportEvery: epochs));
    }

    private static MemoryGrowth Growth(string name, int n, Action<int> train)
    {
        train(n);
        Harness.Settle();
        var afterN = ResidentMemory.CurrentMiB;
        train(9 * n);
        Harness.Settle();
        var after10N = ResidentMemory.CurrentMiB;
        var result = new MemoryGrowth(name, n, afterN, after10N);
        Console.Error.WriteLine($"  {name,-48} N = {n:N0}: {afterN:F1} MiB → {after10N:F1} MiB ({result.GrowthMiB:+0.0;-0.0} MiB)");
        return result;
    }

    /// <summary>Tensor counts at every report of each trainer, after one warm-up run.</summary>
    public IReadOnlyList<TensorCounts> TensorCountsPerStep()
    {
        var results = new List<TensorCounts>();
        using (var scope = NewDisposeScope())
        {
            var (x, y) = TrainingBenchmarks.MinutesTrainingSet();
            using var model = new NaiveMlp(13);
            var trainer = new FullBatchSgdTrainer(model, 1e-3);
            trainer.Train(x, y, 10);
            results.Add(Track("FullBatchSgdTrainer (per epoch)", 2_000, onStep => trainer.Train(x, y, 2_000, reportEvery: 1, onReport: _ => onStep()), ""));
        }
        using (var scope = NewDisposeScope())
        {
            var (train, test) = _training.AirlineWindows(4);
            using var model = new AirModel(50);
            var trainer = new AdamMiniBatchTrainer(model, 8, 1);
            trainer.Train(train.Features, train.Targets, test.Features, test.Targets, 1);
            results.Add(Track("AdamMiniBatchTrainer (per epoch)", 200,
                onStep => trainer.Train(train.Features, train.Targets, test.Features, test.Targets, 200, reportEvery: 1, onReport: _ => onStep()), ""));
        }
        using (var scope = NewDisposeScope())
        {
            var waves = tensor(Data.SineWaves.Generate(10, 60, 20, 2).Values);
            var (x, y) = (waves[3.., ..^1], waves[3.., 1..]);
            using var model = new TwoCellLstm(16);
            using var mse = nn.MSELoss();
            using var trainer = new LbfgsTrainer(model, 0.08);
            trainer.Train(1, () => mse.call(model.forward(x), y));
            var evaluations = 0;
            var counts = Track("LbfgsTrainer (per step)", 100,
                onStep => evaluations = trainer.Train(100, () => mse.call(model.forward(x), y), onStep: _ => onStep()).Sum(r => r.Evaluations), "");
            results.Add(counts with
            {
                Note = $"{evaluations:N0} closure evaluations; the scope statistic counts each wrapper TorchSharp emptied when it took the "
                    + "closure's tensor (no native tensor behind it: the trainer frees that)",
            });
        }
        return results;
    }

    private static TensorCounts Track(string name, int steps, Action<Action> run, string note)
    {
        var native = new List<long>();
        var scopeLive = new List<long>();
        run(() =>
        {
            Harness.Settle();   // tensors left to the garbage collector (none should be) are counted only once they are gone
            native.Add(Tensor.TotalCount);
            scopeLive.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        });
        var result = new TensorCounts(name, native.Count, native[^1] - native[0], scopeLive[^1] - scopeLive[0], note);
        Console.Error.WriteLine($"  {name,-36} {result.Steps:N0} reports: native tensors {result.NativeDrift:+0;-0;0}, scope statistic {result.ScopeLiveDrift:+0;-0;0}");
        return result;
    }
}
