using LstmNotebooks.Runtime;
using LstmNotebooks.Training;
using static LstmNotebooks.Chapters.Chapter03;
using static LstmNotebooks.Chapters.Chapter04;

namespace LstmNotebooks.Tests;

/// <summary>
/// The code the chapters run — chapter 3's windowing, model and epoch loop, chapter 4's model and L-BFGS step, which
/// the library compiles from the chapters' cells marked <c>// @save</c> (ChapterCodeSyncTests checks that it is that
/// code) — on small data: shapes, refusals, determinism, and native-memory hygiene.
/// </summary>
public class ChapterCodeTests
{
    public ChapterCodeTests() => TorchRuntime.EnsureAvailable();

    internal static long Live => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    /// <summary>Chapter 3's set-up on a small series: windows of 4, an AirModel, Adam, a DataLoader with EpochShuffler.</summary>
    internal sealed class SmallAirline : IDisposable
    {
        public SmallAirline(int seed, int hidden = 8, double learningRate = 1e-3)
        {
            var series = Enumerable.Range(0, 60).Select(i => (float)Math.Sin(i / 4.0)).ToArray();
            (X, Y) = CreateWindows(series[..40], 4);
            (TestX, TestY) = CreateWindows(series[40..], 4);
            manual_seed(seed);
            Model = new AirModel(hidden);
            Optimizer = optim.Adam(Model.parameters(), learningRate);
            Batches = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, Y), 8, new EpochShuffler(X.shape[0], seed), disposeDataset: false);
        }

        public Tensor X { get; }
        public Tensor Y { get; }
        public Tensor TestX { get; }
        public Tensor TestY { get; }
        public AirModel Model { get; }
        public optim.Optimizer Optimizer { get; }
        public IEnumerable<IList<Tensor>> Batches { get; }

        public double TestLoss()
        {
            using var noGrad = no_grad();
            Model.eval();
            using var loss = nn.functional.mse_loss(Model.call(TestX), TestY);
            return loss.item<float>();
        }

        public void Dispose()
        {
            ((IDisposable)Batches).Dispose();
            Optimizer.Dispose();
            Model.Dispose();
            foreach (var t in new[] { X, Y, TestX, TestY }) t.Dispose();
        }
    }

    /// <summary>Chapter 4's set-up on small waves: 6 training and 2 test waves of 39 steps.</summary>
    internal static (Tensor X, Tensor Y, Tensor TestX, Tensor TestY) Waves()
    {
        using var data = tensor(ShiftedWaves(8, 40, 10, 1, Math.Sin).Values);
        return (data[2.., ..^1].clone(), data[2.., 1..].clone(), data[..2, ..^1].clone(), data[..2, 1..].clone());
    }

    [Fact]
    public void Windows_are_the_series_and_the_series_shifted_by_one()
    {
        using var scope = NewDisposeScope();
        var (features, targets) = CreateWindows([10, 11, 12, 13, 14, 15], lookback: 2);
        Assert.Equal(new long[] { 4, 2, 1 }, features.shape);
        Assert.Equal(new long[] { 4, 2, 1 }, targets.shape);
        Assert.Equal([10, 11, 11, 12, 12, 13, 13, 14], features.data<float>().ToArray());
        Assert.Equal([11, 12, 12, 13, 13, 14, 14, 15], targets.data<float>().ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(6)]
    [InlineData(9)]
    public void A_lookback_that_leaves_no_window_is_refused_with_the_reason(int lookback)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CreateWindows(new float[6], lookback));
        Assert.Contains("lookback must be at least 1 and less than the series length (6)", e.Message);
    }

    [Fact]
    public void The_air_model_maps_windows_to_windows_and_the_sequence_model_adds_the_future()
    {
        using var scope = NewDisposeScope();
        using var air = new AirModel(50);
        Assert.Equal(new long[] { 8, 4, 1 }, air.call(zeros(8, 4, 1)).shape);
        using var sequence = new Sequence(16);
        Assert.Equal(new long[] { 3, 20 }, sequence.call(zeros(3, 20), 0).shape);
        Assert.Equal(new long[] { 3, 25 }, sequence.call(zeros(3, 20), 5).shape);
    }

    [Fact]
    public void Epochs_of_adam_lower_the_test_loss()
    {
        using var run = new SmallAirline(seed: 2, hidden: 16, learningRate: 0.01);
        var before = run.TestLoss();
        for (var epoch = 0; epoch < 40; epoch++) TrainEpoch(run.Model, run.Optimizer, run.Batches);
        Assert.True(run.TestLoss() < before / 2, $"test loss {before} → {run.TestLoss()}");
    }

    [Fact]
    public void Lbfgs_steps_lower_the_loss_and_count_their_evaluations()
    {
        var (x, y, _, _) = Waves();
        manual_seed(3);
        using var model = new Sequence(8);
        using var optimizer = optim.LBFGS(model.parameters(), lr: 0.1, max_iter: 5);
        double Loss() { using var noGrad = no_grad(); using var l = nn.functional.mse_loss(model.call(x, 0), y); return l.item<float>(); }
        var before = Loss();
        for (var step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            Assert.InRange(LbfgsStep(optimizer, () => nn.functional.mse_loss(model.call(x, 0), y)), 1, 5);   // max_iter bounds it
        }
        Assert.True(Loss() < before, $"loss {before} → {Loss()}");
        x.Dispose(); y.Dispose();
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_losses_in_one_process()
    {
        double[] Adam()
        {
            using var run = new SmallAirline(seed: 11);
            return Enumerable.Range(0, 20).Select(_ => { TrainEpoch(run.Model, run.Optimizer, run.Batches); return run.TestLoss(); }).ToArray();
        }
        double[] Lbfgs()
        {
            using var scope = NewDisposeScope();
            var (x, y, _, _) = Waves();
            manual_seed(11);
            using var model = new Sequence(8);
            using var optimizer = optim.LBFGS(model.parameters(), lr: 0.1, max_iter: 5);
            return Enumerable.Range(0, 3).Select(_ =>
            {
                using var step = NewDisposeScope();
                LbfgsStep(optimizer, () => nn.functional.mse_loss(model.call(x, 0), y));
                using var noGrad = no_grad();
                return (double)nn.functional.mse_loss(model.call(x, 0), y).item<float>();
            }).ToArray();
        }
        Assert.Equal(Adam(), Adam());
        Assert.Equal(Lbfgs(), Lbfgs());
    }

    [Fact]
    public void Epochs_leave_no_tensor_behind_over_thousands_of_steps()
    {
        using var run = new SmallAirline(seed: 2);
        TrainEpoch(run.Model, run.Optimizer, run.Batches);
        var before = Live;
        for (var epoch = 0; epoch < 400; epoch++) TrainEpoch(run.Model, run.Optimizer, run.Batches);   // 400 epochs × 5 batches
        Assert.Equal(before, Live);
    }

    [Fact]
    public void Mkl_fast_kernels_are_enabled_on_amd_linux_when_the_helper_is_built()
    {
        var expected = !OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64
            || !MklCpuDispatch.IsAmdProcessor() ? MklDispatchState.NotNeeded
            : Environment.GetEnvironmentVariable(MklCpuDispatch.EnvironmentVariable) is "0" or "false" or "off" ? MklDispatchState.Disabled
            : File.Exists(MklCpuDispatch.HelperPath) ? MklDispatchState.Enabled
            : MklDispatchState.HelperMissing;
        Assert.Equal(expected, MklCpuDispatch.State);
        Assert.Equal(expected, TorchRuntime.EnsureAvailable().MklDispatch);
    }
}

/// <summary>
/// Counts TorchSharp's process-wide native tensor total, so it runs alone (after the parallel tests of this assembly)
/// and lets the garbage collector finish before each reading.
/// </summary>
[CollectionDefinition(nameof(NativeTensorCountTests), DisableParallelization = true)]
public class NativeTensorCountCollection;

[Collection(nameof(NativeTensorCountTests))]
public class NativeTensorCountTests
{
    public NativeTensorCountTests() => TorchRuntime.EnsureAvailable();

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Fact]
    public void Adam_epochs_leave_no_native_tensor_behind()
    {
        // Adam's state and the DataLoader's batches live outside any dispose scope: count native tensors.
        using var run = new ChapterCodeTests.SmallAirline(seed: 2);
        TrainEpoch(run.Model, run.Optimizer, run.Batches);
        Settle();
        var before = Tensor.TotalCount;
        for (var epoch = 0; epoch < 300; epoch++) TrainEpoch(run.Model, run.Optimizer, run.Batches);
        Settle();
        Assert.Equal(before, Tensor.TotalCount);
    }
}

[Trait("Category", "LongRun")]
public class LongRunMemoryTests
{
    public LongRunMemoryTests() => TorchRuntime.EnsureAvailable();

    private static long RssKiB() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    [Fact]
    public void Resident_memory_stays_flat_from_N_to_10N_epochs()
    {
        using var run = new ChapterCodeTests.SmallAirline(seed: 4);
        for (var epoch = 0; epoch < 2_000; epoch++) TrainEpoch(run.Model, run.Optimizer, run.Batches);
        GC.Collect(); GC.WaitForPendingFinalizers();
        var afterN = RssKiB();
        for (var epoch = 0; epoch < 20_000; epoch++) TrainEpoch(run.Model, run.Optimizer, run.Batches);
        GC.Collect(); GC.WaitForPendingFinalizers();
        var after10N = RssKiB();
        Assert.True(after10N - afterN < 20 * 1024, $"RSS grew {(after10N - afterN) / 1024.0:F1} MiB from 2,000 to 22,000 epochs");
    }

    [Fact]
    public void Lbfgs_memory_stays_flat_over_hundreds_of_evaluations()
    {
        using var scope = NewDisposeScope();
        var data = tensor(ShiftedWaves(12, 120, 20, 2, Math.Sin).Values);
        var (x, y) = (data[3.., ..^1], data[3.., 1..]);
        using var model = new Sequence(32);
        using var optimizer = optim.LBFGS(model.parameters(), lr: 0.08);
        int Step() { using var step = NewDisposeScope(); return LbfgsStep(optimizer, () => nn.functional.mse_loss(model.call(x, 0), y)); }
        for (var i = 0; i < 5; i++) Step();
        GC.Collect(); GC.WaitForPendingFinalizers();
        var before = RssKiB();
        var evaluations = Enumerable.Range(0, 40).Sum(_ => Step());
        GC.Collect(); GC.WaitForPendingFinalizers();
        var growth = RssKiB() - before;
        // Returning the loss itself from the closure grew RSS by about 3 MB per evaluation here; detached, a few KB.
        Assert.True(growth < 64 * 1024, $"RSS grew {growth / 1024.0:F1} MiB over {evaluations} closure evaluations");
    }
}
