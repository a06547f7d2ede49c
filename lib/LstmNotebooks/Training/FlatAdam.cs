using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LstmNotebooks.Training;

/// <summary>
/// Adam, with all parameters laid out in one flat vector and updated in one pass over it. TorchSharp's
/// <c>optim.Adam</c> runs about ten tensor operations per parameter tensor, each a native call that walks the
/// tensor again; at the course's sizes that overhead, not the arithmetic, is the cost (PyTorch has fused and
/// multi-tensor Adams for this; TorchSharp 0.107 has neither). This class reads the gradients and writes the weights in
/// place, one element at a time (eight at a time with AVX2 and FMA), with <c>optim.Adam</c>'s formula, constants and
/// float32 operations: <c>m ← β₁m + (1−β₁)g</c>, <c>v ← β₂v + (1−β₂)g²</c>, <c>w ← w − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε)</c>.
/// The result equals <c>optim.Adam</c>'s to float32 rounding (its kernels fuse multiply-adds in some places and not
/// others; tests bound the difference), and the same inputs always give the same bits.
/// </summary>
/// <remarks>
/// <para>The constructor copies the parameters into one buffer and makes every parameter a view of its slice
/// (<c>set_</c>), so the module reads the updated weights without a copy back. Build one <see cref="FlatAdam"/> per
/// model: a second one would move the parameters to its own buffer and the first would update a buffer nobody reads.
/// Float32 parameters on the CPU only.</para>
/// <para>Every parameter must have a gradient when <see cref="step"/> runs (plain Adam skips parameters without one;
/// this one stops with an error that names it). Weight decay, AMSGrad and maximize are not supported; the course does
/// not use them. The update writes the weights' memory directly, so autograd's in-place check does not see it: as
/// with any optimizer, do not call <c>backward()</c> on a graph built before the step.</para>
/// </remarks>
public sealed class FlatAdam : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly int[] _offsets;
    private readonly Tensor _weights;
    private readonly float[] _expAvg;
    private readonly float[] _expAvgSq;
    private readonly double _learningRate;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _eps;
    private long _step;
    private bool _disposed;

    public FlatAdam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(lr >= 0) || !double.IsFinite(lr)) throw new ArgumentOutOfRangeException(nameof(lr), lr, $"learning rate must be a finite number ≥ 0, got {lr}");
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, $"beta1 must be in [0, 1), got {beta1}");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, $"beta2 must be in [0, 1), got {beta2}");
        if (!(eps >= 0) || !double.IsFinite(eps)) throw new ArgumentOutOfRangeException(nameof(eps), eps, $"eps must be a finite number ≥ 0, got {eps}");
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("FlatAdam needs at least one parameter", nameof(parameters));
        if (_parameters.Distinct(ReferenceEqualityComparer.Instance).Count() != _parameters.Length)
            throw new ArgumentException("a parameter appears more than once", nameof(parameters));
        for (var i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.dtype != ScalarType.Float32 || p.device_type != DeviceType.CPU)
                throw new ArgumentException($"parameter {i} {Describe(p)} is {p.dtype} on {p.device}: FlatAdam updates float32 parameters on the CPU", nameof(parameters));
            if (!p.requires_grad) throw new ArgumentException($"parameter {i} {Describe(p)} does not require a gradient", nameof(parameters));
        }
        var total = _parameters.Sum(p => p.numel());
        if (total > int.MaxValue) throw new ArgumentException($"{total:N0} weights are more than one flat buffer can index", nameof(parameters));

        _learningRate = lr;
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _weights = cat(_parameters.Select(p => p.detach().reshape(-1)).ToArray()).DetachFromDisposeScope();
        _offsets = new int[_parameters.Length];
        var offset = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            var count = (int)_parameters[i].numel();   // the total fits an int: checked above
            _parameters[i].set_(_weights.narrow(0, offset, count).view(_parameters[i].shape));   // the parameter now reads its slice
            _offsets[i] = offset;
            offset += count;
        }
        _expAvg = new float[total];
        _expAvgSq = new float[total];
    }

    /// <summary>How many steps have been taken.</summary>
    public long Steps => _step;

    /// <summary>One Adam update of all parameters from their current gradients.</summary>
    public void step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        var gradients = new Tensor[_parameters.Length];
        for (var i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad
                ?? throw new InvalidOperationException(
                    $"FlatAdam.step: parameter {i} {Describe(_parameters[i])} has no gradient. FlatAdam updates all parameters together: "
                    + "call loss.backward() before step(), with every parameter taking part in the loss.");
            gradients[i] = grad.is_contiguous() ? grad : grad.contiguous();
        }

        _step++;
        var constants = new AdamConstants(
            Beta1: (float)_beta1, OneMinusBeta1: (float)(1 - _beta1),
            Beta2: (float)_beta2, OneMinusBeta2: (float)(1 - _beta2),
            SqrtBiasCorrection2: (float)Math.Sqrt(1 - Math.Pow(_beta2, _step)),
            Eps: (float)_eps,
            NegativeStepSize: (float)-(_learningRate / (1 - Math.Pow(_beta1, _step))));
        var weights = MemoryMarshal.Cast<byte, float>(_weights.bytes);
        for (var i = 0; i < _parameters.Length; i++)
        {
            var offset = _offsets[i];
            var gradient = MemoryMarshal.Cast<byte, float>(gradients[i].bytes);
            Update(gradient, weights.Slice(offset, gradient.Length), _expAvg.AsSpan(offset, gradient.Length), _expAvgSq.AsSpan(offset, gradient.Length), constants);
        }
    }

    private readonly record struct AdamConstants(float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2,
        float SqrtBiasCorrection2, float Eps, float NegativeStepSize);

    /// <summary>
    /// The update, element by element, in float32 and in <c>optim.Adam</c>'s order of operations; the vector loop and
    /// the scalar loop round identically (fused multiply-adds in both), so results do not depend on the CPU's width.
    /// </summary>
    private static void Update(ReadOnlySpan<float> g, Span<float> w, Span<float> m, Span<float> v, AdamConstants c)
    {
        var i = 0;
        if (Fma.IsSupported && Vector256.IsHardwareAccelerated)
        {
            ref var gr = ref MemoryMarshal.GetReference(g);
            ref var wr = ref MemoryMarshal.GetReference(w);
            ref var mr = ref MemoryMarshal.GetReference(m);
            ref var vr = ref MemoryMarshal.GetReference(v);
            var beta1 = Vector256.Create(c.Beta1);
            var oneMinusBeta1 = Vector256.Create(c.OneMinusBeta1);
            var beta2 = Vector256.Create(c.Beta2);
            var oneMinusBeta2 = Vector256.Create(c.OneMinusBeta2);
            var sqrtBiasCorrection2 = Vector256.Create(c.SqrtBiasCorrection2);
            var eps = Vector256.Create(c.Eps);
            var stepSize = Vector256.Create(c.NegativeStepSize);
            for (; i <= g.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var at = (nuint)i;
                var gi = Vector256.LoadUnsafe(ref gr, at);
                var mi = Fma.MultiplyAdd(gi, oneMinusBeta1, Vector256.LoadUnsafe(ref mr, at) * beta1);
                var vi = Fma.MultiplyAdd(oneMinusBeta2 * gi, gi, Vector256.LoadUnsafe(ref vr, at) * beta2);
                var denominator = Vector256.Sqrt(vi) / sqrtBiasCorrection2 + eps;
                var wi = stepSize * mi / denominator + Vector256.LoadUnsafe(ref wr, at);
                mi.StoreUnsafe(ref mr, at);
                vi.StoreUnsafe(ref vr, at);
                wi.StoreUnsafe(ref wr, at);
            }
        }
        for (; i < g.Length; i++)
        {
            var mi = m[i] = MathF.FusedMultiplyAdd(g[i], c.OneMinusBeta1, m[i] * c.Beta1);
            var vi = v[i] = MathF.FusedMultiplyAdd(c.OneMinusBeta2 * g[i], g[i], v[i] * c.Beta2);
            var denominator = MathF.Sqrt(vi) / c.SqrtBiasCorrection2 + c.Eps;
            w[i] = c.NegativeStepSize * mi / denominator + w[i];
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _weights.Dispose();   // the parameters keep the buffer's storage alive: they are views of it
    }

    private static string Describe(Parameter p) => $"(shape [{string.Join(", ", p.shape)}])";
}
