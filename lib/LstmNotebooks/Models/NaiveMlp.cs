using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LstmNotebooks.Models;

/// <summary>
/// Chapter 1's baseline: a time series treated as a plain function of the time step,
/// <c>Linear(1, hidden) → Tanh → Linear(hidden, 1)</c>. It sees one time step and nothing before it.
/// </summary>
public sealed class NaiveMlp : Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Tanh activation;
    private readonly Linear output;

    public NaiveMlp(int hiddenSize = 13) : base(nameof(NaiveMlp))
    {
        if (hiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "at least one hidden unit");
        hidden = Linear(1, hiddenSize);
        activation = Tanh();
        output = Linear(hiddenSize, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => output.call(activation.call(hidden.call(input)));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hidden.Dispose();
            activation.Dispose();
            output.Dispose();
        }
        base.Dispose(disposing);
    }
}
