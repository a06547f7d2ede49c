namespace LstmNotebooks.Runtime;

/// <summary>
/// TorchSharp's native library could not be loaded. The message is one readable paragraph that says what is
/// missing and what to run instead; the original native exception is kept as <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class TorchSharpUnavailableException(string message, Exception? inner)
    : Exception(message, inner);
