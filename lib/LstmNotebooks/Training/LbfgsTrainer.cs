using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace LstmNotebooks.Training;

/// <summary>One L-BFGS step: the training loss after it, the test loss, how many closure evaluations it took.</summary>
public sealed record LbfgsStepReport(int Step, int Steps, double TrainLoss, double? TestLoss, int Evaluations, bool IsBest, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"step {Step}/{Steps}: train loss {TrainLoss:G4}{(TestLoss is { } t ? $", test loss {t:G4}" : "")}, "
        + $"{Evaluations} evaluations{(IsBest ? " (best so far)" : "")} ({Elapsed.TotalSeconds:0.0}s)";
}

/// <summary>
/// L-BFGS with a closure (chapters 4–5). L-BFGS re-evaluates the loss several times per step (up to
/// <c>maxIterations</c>) while it searches along its direction, so it cannot take a precomputed loss: it takes a
/// <em>closure</em> that zeroes the gradients, runs the forward pass, computes the loss, backpropagates and returns
/// the loss (detached, and freed after the step: see the comment in <see cref="Train"/>). The trainer builds that closure from
/// <c>computeLoss</c> (forward + loss), runs each step in a dispose scope, reports after each step, keeps a copy of the model's state at the best step (lowest test loss, or training
/// loss without a test set), and can go back to it.
/// </summary>
public sealed class LbfgsTrainer : IDisposable
{
    private readonly nn.Module _model;
    private readonly TorchSharp.Modules.LBFGS _optimizer;
    private Dictionary<string, Tensor>? _bestState;

    public LbfgsTrainer(nn.Module model, double learningRate = 0.08, int maxIterations = 20)
    {
        ArgumentNullException.ThrowIfNull(model);
        TrainingGuards.PositiveFinite(learningRate, nameof(learningRate));
        TrainingGuards.Positive(maxIterations, nameof(maxIterations));
        _model = model;
        _optimizer = optim.LBFGS(model.parameters(), lr: learningRate, max_iter: maxIterations);
    }

    /// <summary>The step whose state <see cref="RestoreBest"/> brings back (0 before training).</summary>
    public int BestStep { get; private set; }
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    public IReadOnlyList<LbfgsStepReport> Train(int steps, Func<Tensor> computeLoss, Func<double>? evaluateTest = null,
        Action<LbfgsStepReport>? onStep = null, CancellationToken cancellation = default)
    {
        TrainingGuards.Positive(steps, nameof(steps));
        ArgumentNullException.ThrowIfNull(computeLoss);
        var reports = new List<LbfgsStepReport>();
        var clock = Stopwatch.StartNew();
        for (var step = 1; step <= steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            var report = Step(step, steps, computeLoss, evaluateTest, clock);
            reports.Add(report);
            onStep?.Invoke(report);   // after the step's dispose scope: nothing of the step is left when it runs
        }
        return reports;
    }

    private LbfgsStepReport Step(int step, int steps, Func<Tensor> computeLoss, Func<double>? evaluateTest, Stopwatch clock)
    {
        using var scope = NewDisposeScope();
        var returned = new List<IntPtr>();
        _model.train();
        try
        {
            _optimizer.step(() =>
            {
                // Each evaluation in its own scope: its forward pass (about 125 MB of activations at chapter 4's
                // tutorial scale) is freed as soon as it is done, not at the end of the step's up to 20 evaluations.
                using var evaluation = NewDisposeScope();
                _optimizer.zero_grad();
                var loss = computeLoss();
                loss.backward();
                // L-BFGS needs only the value: the gradients are already in the parameters. TorchSharp 0.107
                // decouples the returned tensor from its managed wrapper and hands the native tensor to libtorch,
                // which copies it and never frees the original. Returning `loss` itself would keep its whole
                // autograd graph alive (about 3 MB per evaluation at chapter 4's quick settings), so the closure
                // returns a detached scalar and the trainer frees it once the step is over (below).
                var value = loss.detach().MoveToOuterDisposeScope();   // outlives the evaluation's scope
                returned.Add(value.Handle);
                return value;
            });
        }
        finally
        {
            // libtorch copied each returned tensor when it got it; free the originals it dropped.
            foreach (var handle in returned) Tensor.UnsafeCreateTensor(handle).Dispose();
        }
        var evaluations = returned.Count;

        _model.eval();
        double trainLoss;
        using (no_grad()) trainLoss = TrainingGuards.Finite(computeLoss().item<float>(), "L-BFGS step", step);
        double? testLoss = evaluateTest?.Invoke();
        if (testLoss is { } t) TrainingGuards.Finite(t, "L-BFGS step", step);

        var judged = testLoss ?? trainLoss;
        var isBest = judged < BestLoss;
        if (isBest) KeepBest(step, judged);
        return new LbfgsStepReport(step, steps, trainLoss, testLoss, evaluations, isBest, clock.Elapsed);
    }

    /// <summary>Loads the state of the best step into the model ("go back to an earlier step").</summary>
    public int RestoreBest()
    {
        if (_bestState is null) throw new InvalidOperationException("no step has been trained yet");
        using (no_grad())
        {
            foreach (var (name, parameter) in _model.state_dict()) parameter.copy_(_bestState[name]);
        }
        return BestStep;
    }

    private void KeepBest(int step, double loss)
    {
        var previous = _bestState;
        _bestState = _model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
        if (previous is not null) foreach (var t in previous.Values) t.Dispose();
        BestStep = step;
        BestLoss = loss;
    }

    public void Dispose()
    {
        if (_bestState is not null) foreach (var t in _bestState.Values) t.Dispose();
        _optimizer.Dispose();
    }
}
