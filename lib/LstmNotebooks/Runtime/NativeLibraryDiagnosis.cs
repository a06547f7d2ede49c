using System.Runtime.InteropServices;

namespace LstmNotebooks.Runtime;

/// <summary>
/// Explains why TorchSharp's native library did not load, in terms a learner can act on.
/// </summary>
public static class NativeLibraryDiagnosis
{
    /// <summary>The libstdc++ symbol version that libtorch 2.10 (TorchSharp 0.107) requires.</summary>
    public const string RequiredLibStdCxxSymbol = "GLIBCXX_3.4.32";

    /// <summary>The repository script that runs a command inside a Debian trixie root filesystem.</summary>
    public const string RootfsScript = ".devcontainer/run-in-trixie-rootfs.sh";

    private static readonly string[] LibStdCxxCandidates =
    [
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    ];

    /// <summary>The host's libstdc++ path, or null when none of the usual locations has one.</summary>
    public static string? FindLibStdCxx() => LibStdCxxCandidates.FirstOrDefault(File.Exists);

    /// <summary>True when the file contains the given symbol version string (e.g. GLIBCXX_3.4.32).</summary>
    public static bool LibraryDeclaresSymbol(string libraryPath, string symbol)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(symbol);
        var bytes = File.ReadAllBytes(libraryPath);
        return bytes.AsSpan().IndexOf(needle) >= 0;
    }

    /// <summary>
    /// The one-paragraph guidance for a failed native load. <paramref name="libStdCxxPath"/> is the host's
    /// libstdc++ (null: not found or not Linux).
    /// </summary>
    public static string Explain(Exception failure, string? libStdCxxPath)
    {
        var root = Innermost(failure);
        if (OperatingSystem.IsLinux() && libStdCxxPath is not null
            && !LibraryDeclaresSymbol(libStdCxxPath, RequiredLibStdCxxSymbol))
        {
            return $"TorchSharp's native library cannot load on this machine: it needs {RequiredLibStdCxxSymbol}, "
                 + $"and this host's libstdc++ ({libStdCxxPath}) is older (Debian 12 and Ubuntu 22.04 are). "
                 + $"Run the same command through the repository's rootfs script instead, for example "
                 + $"`sudo {RootfsScript} dotnet test`, or open the repository in its devcontainer "
                 + "(Ubuntu 24.04), or use Debian 13 / Ubuntu 24.04 or newer. See README.md, 'Platforms'. "
                 + $"(Native error: {FirstLine(root.Message)})";
        }

        return "TorchSharp's native library could not be loaded. Make sure the notebook or project references "
             + $"TorchSharp-cpu 0.107.0 (#r \"nuget: TorchSharp-cpu, 0.107.0\") and that the platform is one it "
             + $"ships natives for (linux-x64, win-x64, osx-arm64; this is {RuntimeInformation.RuntimeIdentifier}). "
             + $"(Native error: {FirstLine(root.Message)})";
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
