using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookRunner.Tests;

/// <summary>
/// WorkerReadyToRun.targets: where a worker runs from, Roslyn and the Formatting assembly are native code made ahead
/// of time (ReadyToRun images), so a fresh worker does not spend its first cells JIT-compiling the compiler. This test
/// project's output is such a place (its tests start workers from it), as is the runner's.
/// </summary>
public class ReadyToRunTests
{
    public static TheoryData<string> WorkerAssemblies => new()
    {
        typeof(Compilation).Assembly.Location,
        typeof(CSharpCompilation).Assembly.Location,
        typeof(Script).Assembly.Location,
        typeof(CSharpScript).Assembly.Location,
        typeof(Formatter).Assembly.Location,
    };

    [Theory]
    [MemberData(nameof(WorkerAssemblies))]
    public void The_compiler_a_worker_loads_is_compiled_ahead_of_time(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var header = pe.PEHeaders.CorHeader ?? throw new InvalidOperationException($"{path} is not a .NET assembly");
        Assert.True(header.ManagedNativeHeaderDirectory.Size > 0,
            $"{Path.GetFileName(path)} in {Path.GetDirectoryName(path)} is IL only: lib/NotebookRunner/WorkerReadyToRun.targets did not run");
    }
}
