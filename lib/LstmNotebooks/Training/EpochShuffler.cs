using System.Collections;

namespace LstmNotebooks.Training;

/// <summary>
/// The sample order for a TorchSharp <c>DataLoader</c>: a new random permutation every epoch, drawn from one seeded
/// generator, so runs are reproducible. (TorchSharp's own <c>shuffle: true, seed: s</c> replays the same order every
/// epoch, and without a seed the order is not reproducible; PyTorch reshuffles each epoch.)
/// </summary>
public sealed class EpochShuffler(long count, int seed) : IEnumerable<long>
{
    private readonly Random _random = new(seed);

    public IEnumerator<long> GetEnumerator()
    {
        var order = new long[count];
        for (long i = 0; i < count; i++) order[i] = i;
        _random.Shuffle(order);
        return ((IEnumerable<long>)order).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
