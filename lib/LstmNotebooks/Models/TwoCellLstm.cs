using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LstmNotebooks.Models;

/// <summary>
/// Chapters 4–5's model: <c>LSTMCell(1, hidden) → LSTMCell(hidden, hidden) → Linear(hidden, 1)</c>, stepped over
/// time by hand. Input (batch, time) of one feature per step; output (batch, time + future): a prediction for every
/// step, then <c>future</c> more steps, each fed the previous prediction as its input.
/// </summary>
public sealed class TwoCellLstm : Module<Tensor, Tensor>
{
    private readonly LSTMCell lstm1;
    private readonly LSTMCell lstm2;
    private readonly Linear linear;

    public TwoCellLstm(int hiddenSize = 64) : base(nameof(TwoCellLstm))
    {
        if (hiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "at least one hidden unit");
        HiddenSize = hiddenSize;
        lstm1 = LSTMCell(1, hiddenSize);
        lstm2 = LSTMCell(hiddenSize, hiddenSize);
        linear = Linear(hiddenSize, 1);
        RegisterComponents();
    }

    public int HiddenSize { get; }

    public override Tensor forward(Tensor input) => forward(input, future: 0);

    public Tensor forward(Tensor input, int future)
    {
        if (input.dim() != 2) throw new ArgumentException($"expected input (batch, time), got [{string.Join(", ", input.shape)}]", nameof(input));
        if (future < 0) throw new ArgumentOutOfRangeException(nameof(future), future, "future must be 0 or more");
        var batch = input.shape[0];
        var h1 = zeros(batch, HiddenSize, dtype: input.dtype);
        var c1 = zeros(batch, HiddenSize, dtype: input.dtype);
        var h2 = zeros(batch, HiddenSize, dtype: input.dtype);
        var c2 = zeros(batch, HiddenSize, dtype: input.dtype);

        var outputs = new List<Tensor>();
        Tensor? output = null;
        foreach (var step in input.split(1, dim: 1))            // (batch, 1) per time step
        {
            (h1, c1) = lstm1.call(step, (h1, c1));
            (h2, c2) = lstm2.call(h1, (h2, c2));
            output = linear.call(h2);
            outputs.Add(output);
        }
        for (var i = 0; i < future; i++)                        // feed each prediction back in
        {
            (h1, c1) = lstm1.call(output!, (h1, c1));
            (h2, c2) = lstm2.call(h1, (h2, c2));
            output = linear.call(h2);
            outputs.Add(output);
        }
        return cat(outputs, dim: 1);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lstm1.Dispose();
            lstm2.Dispose();
            linear.Dispose();
        }
        base.Dispose(disposing);
    }
}
