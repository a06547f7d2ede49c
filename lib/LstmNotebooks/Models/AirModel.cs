using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LstmNotebooks.Models;

/// <summary>
/// Chapter 3's model: <c>nn.LSTM(1, hidden, 1 layer, batch_first)</c> followed by <c>Linear(hidden, 1)</c> applied to
/// the hidden state of every time step. Input and output are (batch, time, 1).
/// </summary>
public sealed class AirModel : Module<Tensor, Tensor>
{
    private readonly LSTM lstm;
    private readonly Linear linear;

    public AirModel(int hiddenSize = 50) : base(nameof(AirModel))
    {
        if (hiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "at least one hidden unit");
        lstm = LSTM(inputSize: 1, hiddenSize: hiddenSize, numLayers: 1, batchFirst: true);
        linear = Linear(hiddenSize, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var (output, _, _) = lstm.call(input);
        return linear.call(output);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lstm.Dispose();
            linear.Dispose();
        }
        base.Dispose(disposing);
    }
}
