using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace NotebookRunner.Worker;

/// <summary>
/// Makes the worker's process look like the .NET Interactive kernel's to a notebook: the assemblies the kernel's
/// process carries are loaded up front at the kernel's versions (its F#-based package manager loads FSharp.Core, the
/// Formatting assembly is its own; NotebookRunner.csproj pins both), and packages restored with <c>#r "nuget:"</c>
/// load into the default context by simple name, with their native libraries found in the packages' folders — as
/// the kernel's package manager resolves them. So a package that needs a newer version of an assembly the kernel
/// already holds fails here as it fails in VS Code.
/// </summary>
internal sealed class KernelProcess
{
    /// <summary>Assemblies the kernel's process has loaded before any notebook code runs.</summary>
    public static readonly string[] CarriedAssemblies = ["FSharp.Core", "Microsoft.DotNet.Interactive.Formatting"];

    private readonly Dictionary<string, string> _assemblies = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _nativeLibraries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public KernelProcess()
    {
        foreach (var name in CarriedAssemblies) Assembly.Load(new AssemblyName(name));
        AssemblyLoadContext.Default.Resolving += ResolveAssembly;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += ResolveNativeLibrary;
    }

    /// <summary>Makes a restored package's files loadable; the first package to bring a name wins, as in the kernel.</summary>
    public void Add(RestoredPackage package)
    {
        lock (_gate)
        {
            foreach (var path in package.Assemblies) _assemblies.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            foreach (var path in package.NativeLibraries) _nativeLibraries.TryAdd(Path.GetFileName(path), path);
        }
    }

    private Assembly? ResolveAssembly(AssemblyLoadContext context, AssemblyName name)
    {
        // An assembly the process already holds is never loaded a second time: the runtime's "could not load" stands.
        if (LoadedAssembly(name.Name) is not null) return null;
        string? path;
        lock (_gate) _assemblies.TryGetValue(name.Name ?? "", out path);
        return path is null ? null : context.LoadFromAssemblyPath(path);
    }

    private IntPtr ResolveNativeLibrary(Assembly requester, string libraryName)
    {
        var file = Path.GetFileName(libraryName);
        string[] candidates = [file, file + ".so", "lib" + file + ".so", file + ".dylib", "lib" + file + ".dylib", file + ".dll"];
        foreach (var candidate in candidates)
        {
            string? path;
            lock (_gate) _nativeLibraries.TryGetValue(candidate, out path);
            if (path is not null && NativeLibrary.TryLoad(path, out var handle)) return handle;
        }
        return IntPtr.Zero;
    }

    private static Assembly? LoadedAssembly(string? simpleName) =>
        AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// When an exception says an assembly could not be loaded because the process already holds an older version of
    /// it, the sentence that says so; otherwise null.
    /// </summary>
    public static string? VersionConflict(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var fileName = e switch { FileNotFoundException f => f.FileName, FileLoadException l => l.FileName, _ => null };
            if (fileName is null) continue;
            AssemblyName wanted;
            try { wanted = new AssemblyName(fileName); } catch (Exception ex) when (ex is ArgumentException or FileLoadException) { continue; }
            if (wanted.Version is null || LoadedAssembly(wanted.Name)?.GetName() is not { Version: { } held }) continue;
            if (held >= wanted.Version) continue;
            return $"{wanted.Name} {wanted.Version} cannot be loaded: the notebook's process already holds {wanted.Name} {held}, "
                   + $"as the .NET Interactive kernel's process does (it carries {wanted.Name} {held} for itself), and a process loads one "
                   + $"version of an assembly. VS Code's Polyglot kernel fails the same way. Use a version of the package built "
                   + $"against {wanted.Name} {held} or older.";
        }
        return null;
    }
}
