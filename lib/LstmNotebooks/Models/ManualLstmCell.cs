using static TorchSharp.torch;

namespace LstmNotebooks.Models;

/// <summary>The four gate activations of one LSTM step, each (batch, hidden).</summary>
public sealed record LstmGates(Tensor Input, Tensor Forget, Tensor Candidate, Tensor Output);

/// <summary>
/// One LSTM step written with tensor operations — the equations chapter 2 teaches — using PyTorch's packed weight
/// layout: <c>weight_ih</c> (4·hidden, input), <c>weight_hh</c> (4·hidden, hidden), biases (4·hidden), gate order
/// input, forget, candidate (g), output.
/// <code>
/// i = σ(W_ii x + b_ii + W_hi h + b_hi)     f = σ(W_if x + b_if + W_hf h + b_hf)
/// g = tanh(W_ig x + b_ig + W_hg h + b_hg)  o = σ(W_io x + b_io + W_ho h + b_ho)
/// c' = f ⊙ c + i ⊙ g                       h' = o ⊙ tanh(c')
/// </code>
/// </summary>
public static class ManualLstmCell
{
    public static (Tensor H, Tensor C, LstmGates Gates) Step(Tensor x, Tensor h, Tensor c,
        Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh)
    {
        var z = x.matmul(weightIh.t()) + biasIh + h.matmul(weightHh.t()) + biasHh;
        var chunks = z.chunk(4, dim: 1);
        var i = chunks[0].sigmoid();
        var f = chunks[1].sigmoid();
        var g = chunks[2].tanh();
        var o = chunks[3].sigmoid();
        var cNext = f * c + i * g;
        var hNext = o * cNext.tanh();
        return (hNext, cNext, new LstmGates(i, f, g, o));
    }
}
