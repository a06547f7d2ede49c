using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace LstmNotebooks.Training;

/// <summary>
/// Plain gradient descent on the whole training set each epoch (chapter 1): zero the gradients, forward, MSE loss,
/// backward, SGD step. Reports at epoch 1, every <c>reportEvery</c> epochs, and at the last epoch, with the
/// validation loss computed under no_grad. Each epoch runs in its own dispose scope.
/// </summary>
public sealed class FullBatchSgdTrainer
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly double _learningRate;

    public FullBatchSgdTrainer(nn.Module<Tensor, Tensor> model, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(model);
        TrainingGuards.PositiveFinite(learningRate, nameof(learningRate));
        _model = model;
        _learningRate = learningRate;
    }

    public TrainingHistory Train(Tensor inputs, Tensor targets, int epochs,
        Tensor? validationInputs = null, Tensor? validationTargets = null,
        int reportEvery = 1, Action<EpochReport>? onReport = null, CancellationToken cancellation = default)
    {
        TrainingGuards.Positive(epochs, nameof(epochs));
        TrainingGuards.Positive(reportEvery, nameof(reportEvery));
        TrainingGuards.SameRows(inputs, targets, "training data");
        if ((validationInputs is null) != (validationTargets is null))
            throw new ArgumentException("give both validation inputs and targets, or neither");
        if (validationInputs is not null) TrainingGuards.SameRows(validationInputs, validationTargets!, "validation data");

        using var optimizer = optim.SGD(_model.parameters(), _learningRate);
        using var lossFunction = nn.MSELoss();
        var reports = new List<EpochReport>();
        var clock = Stopwatch.StartNew();
        _model.train();
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            _model.zero_grad();   // gradients set to none (PyTorch's default), not zero-filled: cheaper, same result
            var loss = lossFunction.call(_model.call(inputs), targets);
            var trainLoss = TrainingGuards.Finite(loss.item<float>(), "epoch", epoch);   // before it moves the weights
            loss.backward();
            optimizer.step();

            if (epoch == 1 || epoch % reportEvery == 0 || epoch == epochs)
            {
                double? validationLoss = null;
                if (validationInputs is not null)
                {
                    using var noGrad = no_grad();
                    validationLoss = lossFunction.call(_model.call(validationInputs), validationTargets!).item<float>();
                }
                var report = new EpochReport(epoch, epochs, trainLoss, validationLoss, clock.Elapsed);
                reports.Add(report);
                onReport?.Invoke(report);
            }
        }
        return new TrainingHistory(reports);
    }
}
