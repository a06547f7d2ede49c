using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace LstmNotebooks.Training;

/// <summary>Train and test RMSE at one epoch of <see cref="AdamMiniBatchTrainer"/>.</summary>
public sealed record RmseReport(int Epoch, int Epochs, double TrainRmse, double TestRmse, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"epoch {Epoch:N0}/{Epochs:N0}: train RMSE {TrainRmse:F2}, test RMSE {TestRmse:F2} ({Elapsed.TotalSeconds:0.0}s)";
}

/// <summary>
/// Chapter 3's training: <c>optim.Adam</c> with its default learning rate, MSE loss, mini-batches from a
/// <c>DataLoader</c> over a <c>TensorDataset</c> in a fresh seeded order each epoch (<see cref="EpochShuffler"/>). Reports
/// train and test RMSE before training (epoch 0) and every <c>reportEvery</c> epochs. Each batch step runs in a
/// dispose scope; a NaN or infinite loss stops training with the epoch.
/// </summary>
public sealed class AdamMiniBatchTrainer
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly int _batchSize;
    private readonly int _shuffleSeed;
    private readonly double _learningRate;

    public AdamMiniBatchTrainer(nn.Module<Tensor, Tensor> model, int batchSize = 8, int shuffleSeed = 0, double learningRate = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(model);
        TrainingGuards.Positive(batchSize, nameof(batchSize));
        TrainingGuards.PositiveFinite(learningRate, nameof(learningRate));
        _model = model;
        _batchSize = batchSize;
        _shuffleSeed = shuffleSeed;
        _learningRate = learningRate;
    }

    public IReadOnlyList<RmseReport> Train(Tensor trainInputs, Tensor trainTargets, Tensor testInputs, Tensor testTargets,
        int epochs, int reportEvery = 100, Action<RmseReport>? onReport = null, CancellationToken cancellation = default)
    {
        TrainingGuards.Positive(epochs, nameof(epochs));
        TrainingGuards.Positive(reportEvery, nameof(reportEvery));
        TrainingGuards.SameRows(testInputs, testTargets, "test data");
        if (_batchSize > trainInputs.shape[0])
            throw new ArgumentException($"batch size {_batchSize} is larger than the training data ({trainInputs.shape[0]} samples)");
        if (!trainInputs.shape.SequenceEqual(trainTargets.shape))
            throw new ArgumentException($"inputs [{string.Join(", ", trainInputs.shape)}] and targets [{string.Join(", ", trainTargets.shape)}] must have the same shape");

        using var optimizer = optim.Adam(_model.parameters(), _learningRate);
        using var mse = nn.MSELoss();
        using var dataset = torch.utils.data.TensorDataset(trainInputs, trainTargets);
        using var batches = torch.utils.data.DataLoader(dataset, _batchSize, new EpochShuffler(trainInputs.shape[0], _shuffleSeed), disposeDataset: false);

        var reports = new List<RmseReport>();
        var clock = Stopwatch.StartNew();
        void Report(int epoch)
        {
            _model.eval();
            var report = new RmseReport(epoch, epochs, Metrics.Rmse(_model, trainInputs, trainTargets), Metrics.Rmse(_model, testInputs, testTargets), clock.Elapsed);
            reports.Add(report);
            onReport?.Invoke(report);
        }

        Report(0);
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            _model.train();
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                _model.zero_grad();   // gradients set to none (PyTorch's default), not zero-filled: cheaper, same result
                var loss = mse.call(_model.call(batch[0]), batch[1]);
                TrainingGuards.Finite(loss.item<float>(), "epoch", epoch);   // before it moves the weights
                loss.backward();
                optimizer.step();
            }
            if (epoch % reportEvery == 0 || epoch == epochs) Report(epoch);
        }
        return reports;
    }
}
