using LstmNotebooks.Runtime;
using static TorchSharp.torch.nn;

namespace LstmNotebooks.Tests;

/// <summary>One real TorchSharp computation: nn.LSTM's shapes, and its gradient against finite differences.</summary>
public class TorchSharpSmokeTests
{
    public TorchSharpSmokeTests() => TorchRuntime.EnsureAvailable();

    [Fact]
    public void Lstm_forward_has_the_documented_shapes()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var lstm = LSTM(inputSize: 1, hiddenSize: 50, numLayers: 1, batchFirst: true);
        var x = randn(8, 4, 1);
        var (output, h, c) = lstm.call(x);
        Assert.Equal(new long[] { 8, 4, 50 }, output.shape);
        Assert.Equal(new long[] { 1, 8, 50 }, h.shape);
        Assert.Equal(new long[] { 1, 8, 50 }, c.shape);
        // The last time step of the output is the final hidden state.
        Assert.True(output[.., -1, ..].allclose(h[0]));
    }

    [Fact]
    public void Lstm_gradient_matches_finite_differences()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var lstm = LSTM(inputSize: 1, hiddenSize: 3, numLayers: 1, batchFirst: true);
        lstm.to(float64);
        var x = randn(2, 5, 1, dtype: float64).requires_grad_(true);

        Tensor Loss(Tensor input) => lstm.call(input).Item1.pow(2).sum();

        var loss = Loss(x);
        loss.backward();
        var analytic = x.grad!.clone();

        const double eps = 1e-6;
        using (no_grad())
        {
            var flat = x.detach().clone().reshape(-1);
            for (var i = 0; i < flat.shape[0]; i++)
            {
                var plus = flat.clone(); plus[i] += eps;
                var minus = flat.clone(); minus[i] -= eps;
                var numeric = (Loss(plus.reshape(x.shape)) - Loss(minus.reshape(x.shape))).item<double>() / (2 * eps);
                Assert.Equal(numeric, analytic.reshape(-1)[i].item<double>(), 6);
            }
        }
    }
}
