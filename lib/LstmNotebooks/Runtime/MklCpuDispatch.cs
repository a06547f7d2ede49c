using System.Runtime.InteropServices;

namespace LstmNotebooks.Runtime;

/// <summary>What <see cref="MklCpuDispatch"/> did when the library started.</summary>
public enum MklDispatchState
{
    /// <summary>Not an AMD x86-64 Linux machine: MKL already takes its fast path (or is not used).</summary>
    NotNeeded,
    /// <summary>MKL's fast kernels are enabled on this AMD processor.</summary>
    Enabled,
    /// <summary>Turned off with <c>LSTM_NOTEBOOKS_MKL_DISPATCH=0</c>.</summary>
    Disabled,
    /// <summary>AMD processor, but the small native helper was not built (no C compiler at build time).</summary>
    HelperMissing,
    /// <summary>Loaded too late (libtorch was already loaded) or the helper failed to load.</summary>
    Failed,
}

/// <summary>
/// On AMD processors, lets the MKL inside TorchSharp's libtorch use the kernels it would use on an Intel processor with
/// the same instruction sets (see Native/mkl_cpu_dispatch.c). MKL otherwise takes a generic path there: the chapters'
/// matrix products ran 2.2× slower and chapter 4's closure 1.6× slower on the 2-core AMD EPYC the benchmarks come
/// from. It must happen before libtorch loads, so <see cref="TorchRuntime"/> does it first. The arithmetic is the same
/// operations; only the BLAS kernels differ (results can differ from the generic path in the last bits).
/// </summary>
public static class MklCpuDispatch
{
    public const string EnvironmentVariable = "LSTM_NOTEBOOKS_MKL_DISPATCH";
    public const string HelperFileName = "libmkl_cpu_dispatch.so";

    public static MklDispatchState State { get; private set; } = MklDispatchState.NotNeeded;

    /// <summary>The helper's expected location: next to the library.</summary>
    public static string HelperPath => Path.Combine(Path.GetDirectoryName(typeof(MklCpuDispatch).Assembly.Location) ?? AppContext.BaseDirectory, HelperFileName);

    internal static MklDispatchState Apply()
    {
        State = Decide();
        return State;
    }

    private static MklDispatchState Decide()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || !IsAmdProcessor()) return MklDispatchState.NotNeeded;
        if (Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim() is "0" or "false" or "off") return MklDispatchState.Disabled;
        if (!File.Exists(HelperPath)) return MklDispatchState.HelperMissing;
        if (LibTorchAlreadyLoaded()) return MklDispatchState.Failed;
        const int RTLD_NOW = 2, RTLD_GLOBAL = 0x100;
        return dlopen(HelperPath, RTLD_NOW | RTLD_GLOBAL) == IntPtr.Zero ? MklDispatchState.Failed : MklDispatchState.Enabled;
    }

    internal static bool IsAmdProcessor()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").Any(l => l.StartsWith("vendor_id", StringComparison.Ordinal) && l.Contains("AuthenticAMD", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool LibTorchAlreadyLoaded()
    {
        try
        {
            return File.ReadLines("/proc/self/maps").Any(l => l.Contains("libtorch_cpu.so", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern IntPtr dlopen(string fileName, int flags);
}
