namespace LstmNotebooks.Training;

/// <summary>What a trainer reports after an epoch or step: the losses so far, for progress and charts.</summary>
public sealed record EpochReport(int Epoch, int Epochs, double TrainLoss, double? ValidationLoss, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"epoch {Epoch:N0}/{Epochs:N0}: train loss {TrainLoss:G5}"
        + (ValidationLoss is { } v ? $", validation loss {v:G5}" : "")
        + $" ({Elapsed.TotalSeconds:0.0}s)";
}

/// <summary>The reports of a whole training run, in order.</summary>
public sealed record TrainingHistory(IReadOnlyList<EpochReport> Reports)
{
    public EpochReport First => Reports[0];
    public EpochReport Last => Reports[^1];
    public double[] Epochs => Reports.Select(r => (double)r.Epoch).ToArray();
    public double[] TrainLosses => Reports.Select(r => r.TrainLoss).ToArray();
    public double[] ValidationLosses => Reports.Select(r => r.ValidationLoss ?? double.NaN).ToArray();
}

/// <summary>Training stopped because the loss became NaN or infinite; says at which epoch or step.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>Checks shared by the trainers: arguments, shapes, and the loss after every step.</summary>
public static class TrainingGuards
{
    public static void Positive(int value, string name)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1, got {value}");
    }

    public static void PositiveFinite(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number, got {value}");
    }

    public static void SameRows(TorchSharp.torch.Tensor inputs, TorchSharp.torch.Tensor targets, string what)
    {
        if (inputs.dim() == 0 || targets.dim() == 0 || inputs.shape[0] != targets.shape[0])
            throw new ArgumentException(
                $"{what}: inputs [{string.Join(", ", inputs.shape)}] and targets [{string.Join(", ", targets.shape)}] must have the same number of rows (dimension 0)");
    }

    /// <summary>Throws <see cref="TrainingDivergedException"/> when <paramref name="loss"/> is NaN or infinite.</summary>
    public static double Finite(double loss, string unit, int index)
    {
        if (!double.IsFinite(loss))
            throw new TrainingDivergedException(
                $"training diverged at {unit} {index:N0}: the loss is {loss}. Lower the learning rate, check the data for NaN/Inf, "
                + "or normalise inputs and targets.");
        return loss;
    }
}
