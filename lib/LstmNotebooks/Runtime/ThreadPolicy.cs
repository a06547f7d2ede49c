using TorchSharp;

namespace LstmNotebooks.Runtime;

/// <summary>
/// How many CPU threads TorchSharp uses. The course's models are tiny: per-operation overhead dominates, so
/// one thread is faster than two, and two threads are up to 70× slower when another process holds a core
/// (measured on a 2-core machine). The count is set once, when the library loads, to
/// <see cref="DefaultThreadCount"/> unless the environment variable <see cref="EnvironmentVariable"/> says otherwise.
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

    /// <summary>Applies the requested thread count to TorchSharp and returns it. Loads the native library.</summary>
    public static int Apply()
    {
        var n = RequestedThreadCount;
        torch.set_num_threads(n);
        return n;
    }

    /// <summary>The thread count TorchSharp is using now.</summary>
    public static int CurrentThreadCount => torch.get_num_threads();
}
