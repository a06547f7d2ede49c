using TorchSharp;
using static TorchSharp.torch;

namespace LstmNotebooks.Training;

public static class Metrics
{
    /// <summary>Root mean squared error of the model on (inputs, targets), computed under no_grad (the caller sets eval mode).</summary>
    public static double Rmse(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Math.Sqrt(nn.functional.mse_loss(model.call(inputs), targets).item<float>());
    }
}
