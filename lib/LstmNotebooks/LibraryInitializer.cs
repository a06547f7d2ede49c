using System.Runtime.CompilerServices;
using LstmNotebooks.Display;
using LstmNotebooks.Runtime;

namespace LstmNotebooks;

internal static class LibraryInitializer
{
    /// <summary>
    /// Runs when the library is loaded into a kernel and first touched: formatters are registered at once, and
    /// TorchSharp's native library is loaded with the thread policy applied. A failed native load is remembered
    /// (not thrown here) and reported readably by <see cref="TorchRuntime.EnsureAvailable"/>.
    /// </summary>
#pragma warning disable CA2255 // a library's module initializer is exactly what we want here
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        NotebookFormatters.Register();
        _ = TorchRuntime.IsAvailable;
    }
}
