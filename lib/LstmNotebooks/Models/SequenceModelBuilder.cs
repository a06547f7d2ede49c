using static TorchSharp.torch;

namespace LstmNotebooks.Models;

/// <summary>
/// Everything chapter 5's builder derives from the data's shape (N series of L points): the split, the inputs
/// (points 0 … L−2) and targets (points 1 … L−1) of the train and test series, and how far to forecast.
/// </summary>
public sealed record SequenceProblem(int SeriesCount, int Length, int TrainCount, int TestCount, int Future,
    Tensor TrainInputs, Tensor TrainTargets, Tensor TestInputs, Tensor TestTargets) : IDisposable
{
    public void Dispose()
    {
        TrainInputs.Dispose();
        TrainTargets.Dispose();
        TestInputs.Dispose();
        TestTargets.Dispose();
    }
}

/// <summary>
/// Builds a sequence problem and its model from data of any shape: N series (rows) of L points (columns). The first
/// N − round-down(N·trainProportion) series are held out for testing, as chapter 4 does by hand; the forecast length
/// is L, as long again as the data. Nothing is hand-sized.
/// </summary>
public static class SequenceModelBuilder
{
    public static SequenceProblem Prepare(float[,] data, double trainProportion = 0.95)
    {
        ArgumentNullException.ThrowIfNull(data);
        var n = data.GetLength(0);
        var length = data.GetLength(1);
        if (n < 2) throw new ArgumentException($"the data has {n} series; at least 2 are needed (one to train on, one to test)", nameof(data));
        if (length < 2) throw new ArgumentException($"the series have {length} point(s); at least 2 are needed (an input and a target)", nameof(data));
        if (!(trainProportion > 0 && trainProportion < 1))
            throw new ArgumentOutOfRangeException(nameof(trainProportion), trainProportion, "the training proportion must be between 0 and 1");
        for (var i = 0; i < n; i++)
            for (var j = 0; j < length; j++)
                if (!float.IsFinite(data[i, j]))
                    throw new ArgumentException($"the data holds {data[i, j]} at series {i}, point {j}; every value must be a finite number", nameof(data));

        var trainCount = Math.Clamp((int)(n * trainProportion), 1, n - 1);
        var testCount = n - trainCount;
        var all = tensor(data);                                   // (N, L)
        var problem = new SequenceProblem(n, length, trainCount, testCount, Future: length,
            TrainInputs: all[testCount.., ..^1].clone(), TrainTargets: all[testCount.., 1..].clone(),
            TestInputs: all[..testCount, ..^1].clone(), TestTargets: all[..testCount, 1..].clone());
        all.Dispose();
        return problem;
    }

    public static TwoCellLstm BuildModel(SequenceProblem problem, int hiddenSize = 64) => new(hiddenSize);
}
