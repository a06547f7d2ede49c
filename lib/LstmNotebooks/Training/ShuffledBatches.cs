using System.Collections;
using static TorchSharp.torch;

namespace LstmNotebooks.Training;

/// <summary>
/// Shuffled mini-batches of matching input and target rows. Every pass over it (one epoch) takes a new order from an
/// <see cref="EpochShuffler"/> and cuts it into batches of <c>batchSize</c> rows, the last one possibly smaller — what
/// PyTorch's <c>DataLoader(TensorDataset(x, y), batch_size, shuffle=True)</c> yields. The batches are exactly those of
/// TorchSharp's <c>DataLoader(TensorDataset(x, y), batchSize, new EpochShuffler(rows, seed))</c> (a test checks it), but
/// instead of stacking one tensor per row for every batch, it reorders the rows once per epoch and hands out slices.
/// </summary>
/// <remarks>
/// A batch's tensors belong to the loop: they are disposed when the next batch is taken and when the loop ends, so
/// clone what you keep. The source tensors must outlive the loop; each epoch holds one reordered copy of them.
/// </remarks>
public sealed class ShuffledBatches : IEnumerable<(Tensor Inputs, Tensor Targets)>
{
    private readonly Tensor _inputs;
    private readonly Tensor _targets;
    private readonly int _batchSize;
    private readonly EpochShuffler _order;

    public ShuffledBatches(Tensor inputs, Tensor targets, int batchSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        TrainingGuards.Positive(batchSize, nameof(batchSize));
        TrainingGuards.SameRows(inputs, targets, "batches");
        _inputs = inputs;
        _targets = targets;
        _batchSize = batchSize;
        _order = new EpochShuffler(inputs.shape[0], seed);
    }

    /// <summary>Batches per epoch.</summary>
    public long Count => (_inputs.shape[0] + _batchSize - 1) / _batchSize;

    public IEnumerator<(Tensor Inputs, Tensor Targets)> GetEnumerator()
    {
        // One gather per epoch puts the rows in this epoch's order; each batch is then a slice (a view, no copy).
        var rows = _inputs.shape[0];
        Tensor? shuffledInputs = null, shuffledTargets = null, inputs = null, targets = null;
        try
        {
            using (var order = tensor(_order.ToArray()))
            {
                shuffledInputs = _inputs.index_select(0, order).DetachFromDisposeScope();
                shuffledTargets = _targets.index_select(0, order).DetachFromDisposeScope();
            }
            for (long start = 0; start < rows; start += _batchSize)
            {
                inputs?.Dispose();
                targets?.Dispose();
                var length = Math.Min(_batchSize, rows - start);
                inputs = shuffledInputs.narrow(0, start, length).DetachFromDisposeScope();
                targets = shuffledTargets.narrow(0, start, length).DetachFromDisposeScope();
                yield return (inputs, targets);
            }
        }
        finally
        {
            inputs?.Dispose();
            targets?.Dispose();
            shuffledInputs?.Dispose();
            shuffledTargets?.Dispose();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
