using System.Runtime.InteropServices;
using TorchSharp;

namespace LstmNotebooks.Runtime;

/// <summary>
/// The helper library's start-up: loads TorchSharp's native library once, applies the <see cref="ThreadPolicy"/>,
/// and turns a failed native load into one readable <see cref="TorchSharpUnavailableException"/>.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lazy<Exception?> LoadFailure = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when TorchSharp's native library is loaded and the thread policy applied.</summary>
    public static bool IsAvailable => LoadFailure.Value is null;

    /// <summary>
    /// Throws <see cref="TorchSharpUnavailableException"/> with guidance when TorchSharp cannot run here;
    /// otherwise returns a short description of the runtime (versions, threads).
    /// </summary>
    public static RuntimeSummary EnsureAvailable()
    {
        if (LoadFailure.Value is { } failure) throw failure;
        return new RuntimeSummary(
            TorchSharpVersion: typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "?",
            DotNetVersion: RuntimeInformation.FrameworkDescription,
            Platform: RuntimeInformation.RuntimeIdentifier,
            Threads: ThreadPolicy.CurrentThreadCount,
            MklDispatch: MklCpuDispatch.State);
    }

    private static Exception? TryLoad()
    {
        try
        {
            MklCpuDispatch.Apply();   // before libtorch loads
            ThreadPolicy.Apply();
            return null;
        }
        catch (ArgumentException e) when (e.Message.StartsWith(ThreadPolicy.EnvironmentVariable, StringComparison.Ordinal))
        {
            return e;
        }
        catch (Exception e) when (IsNativeLoadFailure(e))
        {
            return new TorchSharpUnavailableException(
                NativeLibraryDiagnosis.Explain(e, NativeLibraryDiagnosis.FindLibStdCxx()), e);
        }
    }

    /// <summary>True for the exception shapes a failed libtorch / LibTorchSharp load takes.</summary>
    public static bool IsNativeLoadFailure(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException) return true;
            if (x is NotSupportedException && x.Message.Contains("LibTorchSharp", StringComparison.OrdinalIgnoreCase)) return true;
            if (x.Message.Contains("GLIBCXX", StringComparison.Ordinal)) return true;
        }
        return false;
    }
}

/// <summary>What the course runs on, shown by a chapter's set-up cell.</summary>
public sealed record RuntimeSummary(string TorchSharpVersion, string DotNetVersion, string Platform, int Threads,
    MklDispatchState MklDispatch = MklDispatchState.NotNeeded)
{
    public override string ToString() =>
        $"TorchSharp {TorchSharpVersion} on {DotNetVersion} ({Platform}), {Threads} thread{(Threads == 1 ? "" : "s")}"
        + MklDispatch switch
        {
            MklDispatchState.Enabled => ", MKL fast kernels on this AMD CPU",
            MklDispatchState.HelperMissing => $" (AMD CPU: MKL runs its slower generic kernels; install a C compiler and rebuild to fix, see docs/platforms.md)",
            MklDispatchState.Failed => " (AMD CPU: could not enable MKL's fast kernels; libtorch was loaded before the library)",
            _ => "",
        };
}
