using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;

namespace LstmNotebooks.Runtime;

/// <summary>
/// How many CPU threads TorchSharp uses. The course's models are tiny: per-operation overhead dominates, so
/// one thread is faster than two, and two threads are up to 70× slower when another process holds a core
/// (measured on a 2-core machine). The count is set once, when the library loads, to
/// <see cref="DefaultThreadCount"/> unless the environment variable <see cref="EnvironmentVariable"/> says otherwise.
/// <para>
/// <c>torch.set_num_threads</c> alone reaches only the thread that calls it: MKL, inside libtorch, gives every other
/// thread its default of one thread per core, and a notebook's cells run on whichever thread the kernel picks. Chapter 1
/// then ran each matrix product on two threads in 3 of 5 runs (one core spinning in OpenMP, 25 % slower). So the count
/// is also written into the process's <see cref="NativeThreadVariables"/> before libtorch loads, where OpenMP and MKL
/// read their defaults for every thread; they are overwritten, so that <see cref="EnvironmentVariable"/> is the one knob.
/// </para>
/// </summary>
public static class ThreadPolicy
{
    public const string EnvironmentVariable = "LSTM_NOTEBOOKS_THREADS";
    public const int DefaultThreadCount = 1;

    /// <summary>The thread count that the policy asks for, from the environment or the default.</summary>
    public static int RequestedThreadCount => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>Parses the environment variable's value: a positive integer, or empty for the default.</summary>
    public static int Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return DefaultThreadCount;
        if (int.TryParse(value.Trim(), out var n) && n >= 1 && n <= Environment.ProcessorCount * 4) return n;
        throw new ArgumentException(
            $"{EnvironmentVariable}='{value}' is not a thread count: use a whole number from 1 to {Environment.ProcessorCount * 4}, "
            + $"or unset it for the default ({DefaultThreadCount}).");
    }

    /// <summary>The variables OpenMP and MKL take every thread's default thread count from, when libtorch loads.</summary>
    public static readonly IReadOnlyList<string> NativeThreadVariables = ["OMP_NUM_THREADS", "MKL_NUM_THREADS"];

    /// <summary>
    /// Applies the requested thread count to every thread's OpenMP and MKL defaults and to TorchSharp, and returns it.
    /// Loads the native library, so it must come before anything else loads libtorch.
    /// </summary>
    public static int Apply()
    {
        var n = RequestedThreadCount;
        foreach (var name in NativeThreadVariables) SetNativeEnvironmentVariable(name, n.ToString(CultureInfo.InvariantCulture));
        torch.set_num_threads(n);
        return n;
    }

    /// <summary>
    /// Sets a variable in the process environment that native code reads (on Linux and macOS, .NET's
    /// <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only .NET's own copy).
    /// </summary>
    private static void SetNativeEnvironmentVariable(string name, string value)
    {
        if (OperatingSystem.IsWindows())
            Environment.SetEnvironmentVariable(name, value);
        else if (setenv(name, value, overwrite: 1) != 0)
            throw new InvalidOperationException($"Could not set {name}={value} in the process environment (errno {Marshal.GetLastPInvokeError()}).");
    }

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);

    /// <summary>The thread count TorchSharp is using now.</summary>
    public static int CurrentThreadCount => torch.get_num_threads();
}
