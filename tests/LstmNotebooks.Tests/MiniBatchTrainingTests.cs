using LstmNotebooks.Models;
using LstmNotebooks.Runtime;
using LstmNotebooks.Training;
using TorchSharp.Modules;

namespace LstmNotebooks.Tests;

/// <summary>
/// Chapter 3's training plumbing against TorchSharp's standard types: <see cref="FlatAdam"/> must train like
/// <c>optim.Adam</c> (equal to float32 rounding) and compute Adam's formula exactly, and <see cref="ShuffledBatches"/>
/// must give the batches of a <c>DataLoader</c> over a <c>TensorDataset</c> with an <see cref="EpochShuffler"/>.
/// </summary>
public class MiniBatchTrainingTests
{
    public MiniBatchTrainingTests() => TorchRuntime.EnsureAvailable();

    private static (Tensor X, Tensor Y) Windows(long rows, long lookback, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var x = (rand([rows, lookback, 1], generator: generator) * 300 + 100).DetachFromDisposeScope();
        var y = (x + randn([rows, lookback, 1], generator: generator) * 10).DetachFromDisposeScope();
        return (x, y);
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Theory]
    [InlineData(50, 4, 0.001)]   // chapter 3's model and settings
    [InlineData(13, 2, 0.01)]    // sizes that are not multiples of the vector width, and another learning rate
    public void Flat_adam_trains_like_optim_adam(int hidden, int lookback, double learningRate)
    {
        using var scope = NewDisposeScope();
        var (x, y) = Windows(40, lookback, seed: hidden);
        manual_seed(7);
        using var reference = new AirModel(hidden);
        manual_seed(7);
        using var flat = new AirModel(hidden);
        using var adam = optim.Adam(reference.parameters(), learningRate);
        using var flatAdam = new FlatAdam(flat.parameters(), learningRate);
        using var mse = nn.MSELoss();

        // Making the parameters views of one buffer leaves their values as they were.
        Assert.All(reference.parameters().Zip(flat.parameters()), pair => Assert.True(Same(pair.First, pair.Second)));
        var initial = reference.parameters().Select(p => p.detach().clone()).ToArray();

        var batches = new ShuffledBatches(x, y, 8, seed: 3);
        var step = 0;
        for (var epoch = 0; epoch < 60; epoch++)
        {
            foreach (var (inputs, targets) in batches)
            {
                using var stepScope = NewDisposeScope();
                reference.zero_grad();
                var referenceLoss = mse.call(reference.call(inputs), targets);
                referenceLoss.backward();
                adam.step();
                flat.zero_grad();
                var flatLoss = mse.call(flat.call(inputs), targets);
                flatLoss.backward();
                flatAdam.step();
                if (++step == 1)
                {
                    // One step apart from the same weights and gradients: equal up to one float32 rounding of the update.
                    foreach (var ((name, expected), actual) in reference.named_parameters().Zip(flat.parameters()))
                    {
                        var tolerance = expected.abs() * 2.5e-7 + 1e-12;
                        Assert.True((expected - actual).abs().le(tolerance).all().item<bool>(), $"{name} after one step: {Worst(expected, actual)}");
                    }
                }
                Assert.Equal(referenceLoss.item<float>(), flatLoss.item<float>(), 2e-3f * referenceLoss.item<float>());
            }
        }

        Assert.Equal(300, flatAdam.Steps);
        foreach (var ((name, expected), actual, start) in reference.named_parameters().Zip(flat.parameters(), initial))
        {
            Assert.False(Same(expected, start), $"{name} did not move: the comparison would prove nothing");
            Assert.True(actual.allclose(expected, rtol: 1e-3, atol: 1e-5), $"{name} after 300 steps: {Worst(expected, actual)}");
        }
    }

    private static string Worst(Tensor expected, Tensor actual) =>
        $"largest difference {(expected - actual).abs().max().item<float>():G9} of weights up to {expected.abs().max().item<float>():G9}";

    [Fact]
    public void Flat_adam_computes_adams_formula_in_float32_the_same_for_every_element()
    {
        // The vector loop (8 lanes) and the scalar loop (the tail of every parameter, and CPUs without AVX2/FMA) must round
        // identically: the formula written out element by element gives the same bits for all of them.
        using var scope = NewDisposeScope();
        using var model = new AirModel(13);   // 52×1, 52×13, 52, 52, 1×13, 1: every size leaves a tail
        var (x, y) = Windows(16, 3, seed: 9);
        using var adam = new FlatAdam(model.parameters(), lr: 0.01);
        using var mse = nn.MSELoss();
        var m = model.parameters().Select(p => new float[p.numel()]).ToArray();
        var v = model.parameters().Select(p => new float[p.numel()]).ToArray();
        for (var t = 1; t <= 3; t++)
        {
            using var stepScope = NewDisposeScope();
            model.zero_grad();
            mse.call(model.call(x), y).backward();
            var before = model.parameters().Select(p => p.detach().data<float>().ToArray()).ToArray();
            var grads = model.parameters().Select(p => p.grad!.data<float>().ToArray()).ToArray();
            adam.step();
            var after = model.parameters().Select(p => p.detach().data<float>().ToArray()).ToArray();
            float c2 = (float)Math.Sqrt(1 - Math.Pow(0.999, t)), stepSize = (float)-(0.01 / (1 - Math.Pow(0.9, t)));
            for (var k = 0; k < before.Length; k++)
                for (var i = 0; i < before[k].Length; i++)
                {
                    var g = grads[k][i];
                    m[k][i] = MathF.FusedMultiplyAdd(g, (float)(1 - 0.9), m[k][i] * 0.9f);
                    v[k][i] = MathF.FusedMultiplyAdd((float)(1 - 0.999) * g, g, v[k][i] * 0.999f);
                    var expected = stepSize * m[k][i] / (MathF.Sqrt(v[k][i]) / c2 + 1e-8f) + before[k][i];
                    Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(after[k][i]),
                        $"step {t}, parameter {k}, element {i}: expected {expected:G9}, got {after[k][i]:G9}");
                }
        }
    }

    [Fact]
    public void Flat_adam_names_the_parameter_without_a_gradient_and_checks_its_arguments()
    {
        using var scope = NewDisposeScope();
        using var model = new AirModel(4);
        using var adam = new FlatAdam(model.parameters());
        var parameters = model.parameters().ToArray();
        using (var s = NewDisposeScope())
        {
            // Only the linear layer's bias takes part: the LSTM's weights get no gradient.
            parameters[^1].sum().backward();
        }
        var e = Assert.Throws<InvalidOperationException>(() => adam.step());
        Assert.Contains("parameter 0 (shape [16, 1]) has no gradient", e.Message);
        Assert.Equal(0, adam.Steps);

        Assert.Throws<ArgumentException>(() => new FlatAdam([]));
        Assert.Contains("more than once", Assert.Throws<ArgumentException>(() => new FlatAdam([parameters[0], parameters[0]])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlatAdam(parameters, lr: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlatAdam(parameters, beta2: 1));
        using var doubles = new Parameter(zeros(3, dtype: float64));
        Assert.Contains("parameter 1 (shape [3]) is Float64 on cpu: FlatAdam updates float32 parameters on the CPU", Assert.Throws<ArgumentException>(() => new FlatAdam([parameters[0], doubles])).Message);
    }

    [Fact]
    public void Shuffled_batches_are_the_batches_of_a_data_loader_with_an_epoch_shuffler()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Windows(95, 4, seed: 5);   // 95 windows: 11 batches of 8 and one of 7
        using var dataset = utils.data.TensorDataset(x, y);
        using var loader = utils.data.DataLoader(dataset, 8, new EpochShuffler(95, 11), disposeDataset: false);
        var batches = new ShuffledBatches(x, y, 8, seed: 11);
        Assert.Equal(12, batches.Count);
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var expected = loader.Select(b => (b[0].clone().DetachFromDisposeScope(), b[1].clone().DetachFromDisposeScope())).ToList();
            var actual = batches.Select(b => (b.Inputs.clone(), b.Targets.clone())).ToList();
            Assert.Equal(12, actual.Count);
            Assert.Equal(7, actual[^1].Item1.shape[0]);
            foreach (var ((ex, ey), (ax, ay)) in expected.Zip(actual))
            {
                Assert.True(Same(ex, ax), $"epoch {epoch}: inputs differ");
                Assert.True(Same(ey, ay), $"epoch {epoch}: targets differ");
                ex.Dispose(); ey.Dispose();
            }
        }
    }

    [Fact]
    public void Shuffled_batches_dispose_a_batch_when_the_next_is_taken_and_check_their_arguments()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Windows(20, 2, seed: 1);
        var batches = new ShuffledBatches(x, y, 8, seed: 0);
        Tensor? first = null;
        using (var e = batches.GetEnumerator())
        {
            Assert.True(e.MoveNext());
            first = e.Current.Inputs;
            Assert.False(first.IsInvalid);
            Assert.True(e.MoveNext());
            Assert.True(first.IsInvalid);
            first = e.Current.Inputs;
        }
        Assert.True(first.IsInvalid);

        Assert.Throws<ArgumentOutOfRangeException>(() => new ShuffledBatches(x, y, 0, 0));
        Assert.Contains("same number of rows", Assert.Throws<ArgumentException>(() => new ShuffledBatches(x, y[..10], 4, 0)).Message);
    }
}
