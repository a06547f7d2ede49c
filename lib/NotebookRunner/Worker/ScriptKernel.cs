using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;
using NotebookRunner.Document;
using NotebookRunner.Execution;

namespace NotebookRunner.Worker;

/// <summary>
/// Runs C# cells the way the Polyglot C# kernel does: one Roslyn script state across cells (variables, types and
/// usings carry over), the kernel's default imports, <c>display</c> in scope, a trailing expression's value shown
/// as the cell's result, and #r / #i / #! directives handled before compilation. While a cell runs, the cells after
/// it are compiled on another thread (<see cref="CompileAhead"/>): the same submissions, out of the cells' way.
/// </summary>
internal sealed class ScriptKernel : IDisposable
{
    /// <summary>The C# kernel's default usings.</summary>
    public static readonly string[] DefaultImports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    private static readonly MethodInfo ScriptHasReturnValue =
        typeof(Script).GetMethod("HasReturnValue", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new MissingMethodException("Roslyn's Script.HasReturnValue, which the C# kernel uses to decide whether a cell has a result");

    private readonly NotebookGlobals _globals;
    private readonly PackageRestore _restore;
    private readonly KernelProcess _process;
    private readonly string _notebookDirectory;
    private readonly Dictionary<string, string> _cellLabels = [];
    private readonly HashSet<string> _loadedFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PackageRequest> _requestedPackages = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _sources = [];
    private readonly HashSet<string> _restoredPackages = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _diagnostics = [];
    private readonly CompileAhead _ahead;
    private ScriptOptions _options;
    private ScriptState<object>? _state;

    /// <param name="cells">The notebook's cells, in order: those after the running cell are compiled ahead.</param>
    public ScriptKernel(NotebookGlobals globals, PackageRestore restore, KernelProcess process, string notebookDirectory, IReadOnlyList<JobCell> cells)
    {
        _ahead = new CompileAhead(cells);
        _globals = globals;
        _restore = restore;
        _process = process;
        _notebookDirectory = notebookDirectory;
        _options = BaseOptions
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(notebookDirectory))
            .WithSourceResolver(new SourceFileResolver([], notebookDirectory));
    }

    /// <summary>What every notebook's submissions start from: the kernel's imports, the framework and the runner's
    /// globals. One instance, so that the warm-up and the notebook share the framework's metadata.</summary>
    private static readonly ScriptOptions BaseOptions = ScriptOptions.Default
        .WithImports(DefaultImports)
        .WithReferences(FrameworkReferences())
        .AddReferences(typeof(NotebookGlobals).Assembly, typeof(Formatter).Assembly, typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly)
        .WithLanguageVersion(LanguageVersion.Latest)
        .WithEmitDebugInformation(true)
        .WithFileEncoding(Encoding.UTF8);

    /// <summary>
    /// Compiles a throwaway submission — a class, a lambda, LINQ, an interpolated string, a trailing expression — on
    /// another thread as the worker starts, while it connects, reads its job and restores the first cell's packages:
    /// a worker's first compile is mostly Roslyn's start (the framework's metadata read, generic code the JIT compiles
    /// on first use), and this moves it off the first cell's path. Emitted into nothing: no assembly is loaded, so the
    /// notebook cannot see it. A failure here only loses the head start; the cell's own compile reports errors.
    /// </summary>
    public static Task WarmUpCompilerAsync() => Task.Run(() =>
    {
        try
        {
            const string code = """
                class WarmUp { public int Value { get; init; } }
                var values = new List<WarmUp> { new() { Value = 1 } }.Select(w => w.Value * 2.0).ToArray();
                $"{values.Length}: {values.Sum():F1}"
                """;
            CSharpScript.Create(code, BaseOptions.WithFilePath("warm-up"), typeof(NotebookGlobals)).GetCompilation().Emit(Stream.Null);
        }
        catch (Exception)
        {
            // Only the head start is lost.
        }
    });

    /// <summary>The compiler's warnings for the last cell, as the kernel reports them (diagnostics, not outputs).</summary>
    public IReadOnlyList<string> Diagnostics => _diagnostics;

    /// <summary>Runs one cell; outputs go to the event sink. Returns the error, or null when the cell succeeded.</summary>
    public async Task<CellError?> RunCellAsync(JobCell cell)
    {
        _diagnostics.Clear();
        var cellLines = cell.Source.Replace("\r\n", "\n").Split('\n');
        IReadOnlyList<CellDirective> directives;
        string code;
        try
        {
            (directives, code) = CellDirectives.Split(cell.Source);
            // As in the kernel: the cell's packages are restored first, then assemblies referenced by path are loaded.
            foreach (var directive in directives.Where(d => d is not CellDirective.AssemblyReference)) Apply(directive);
            RestorePackages(directives.OfType<CellDirective.PackageReference>().ToList());
            foreach (var reference in directives.OfType<CellDirective.AssemblyReference>()) LoadAssembly(reference);
        }
        catch (DirectiveException e)
        {
            return Error(CellError.Directive, "DirectiveError", e.Message, e.Line, 1, cellLines, [$"{cell.Label}, line {e.Line}: {e.Message}"]);
        }

        var fileName = FileName(cell);
        _cellLabels[fileName] = cell.Label;
        // Compiled ahead against the script this turn continues, or compiled now.
        var compiled = await _ahead.TakeAsync(cell) is { } early && early.Script.Previous == _state?.Script
            ? early
            : Compile(cell, code, _state?.Script, _options, CancellationToken.None);
        var script = compiled.Script;
        _ahead.StartAfter(cell, compiled.Succeeded ? script : _state?.Script, _options, Compile);

        var diagnostics = compiled.Diagnostics;
        _diagnostics.AddRange(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).Select(d => d.ToString()));
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            var first = errors[0].Location.GetLineSpan().StartLinePosition;
            var traceback = errors.Select(d =>
            {
                var p = d.Location.GetLineSpan().StartLinePosition;
                return $"{cell.Label}, line {p.Line + 1}, column {p.Character + 1}: error {d.Id}: {d.GetMessage()}";
            }).ToList();
            return Error(CellError.Compile, "CompilationError", $"{errors[0].Id}: {errors[0].GetMessage()}",
                first.Line + 1, first.Character + 1, cellLines, traceback);
        }

        var timer = directives.OfType<CellDirective.Time>().Any() ? Stopwatch.StartNew() : null;
        var state = _state is null
            ? await script.RunAsync(_globals, catchException: _ => true)
            : await script.RunFromAsync(_state, catchException: _ => true);
        _state = state;
        if (timer is not null) Console.Out.WriteLine($"Wall time: {timer.Elapsed.TotalMilliseconds:0.###}ms");

        if (state.Exception is { } exception) return RuntimeError(exception, fileName, cellLines);

        if ((bool)ScriptHasReturnValue.Invoke(script, null)!)
        {
            _globals.Sink.Send(new WorkerEvent.ResultReturned(cell.Position, OutputFormatting.Format(state.ReturnValue, [])));
        }
        return null;
    }

    private static string FileName(JobCell cell) => $"cell-{cell.Position}";

    /// <summary>One cell as the submission after <paramref name="previous"/>: compiled, emitted and loaded (Roslyn's
    /// <c>Script.Compile</c>), ready to run.</summary>
    private static CompiledCell Compile(JobCell cell, string code, Script? previous, ScriptOptions options, CancellationToken cancel)
    {
        options = options.WithFilePath(FileName(cell));
        var script = previous is null
            ? CSharpScript.Create(code, options, typeof(NotebookGlobals))
            : previous.ContinueWith(code, options);
        return new CompiledCell(script, script.Compile(cancel));
    }

    /// <summary>Stops compiling ahead.</summary>
    public void Dispose() => _ahead.Dispose();

    /// <summary>Final values of the named variables, as JSON (see <see cref="VariableSnapshot"/>).</summary>
    public Dictionary<string, JsonNode?> Capture(IEnumerable<string> names)
    {
        var values = new Dictionary<string, JsonNode?>();
        if (_state is null) return values;
        foreach (var name in names)
        {
            if (_state.GetVariable(name) is { } variable) values[name] = VariableSnapshot.ToJson(variable.Value);
        }
        return values;
    }

    private void Apply(CellDirective directive)
    {
        switch (directive)
        {
            case CellDirective.PackageReference p:
                var requested = new PackageRequest(p.Name, p.Version);
                if (_requestedPackages.TryGetValue(p.Name, out var earlier) && !requested.IsMetBy(earlier))
                    throw new DirectiveException(
                        $"{p.Name} {earlier.VersionOrLatest} was already added to this notebook's kernel; it cannot load {p.Name} "
                        + $"{requested.VersionOrLatest} as well (restart the kernel to change versions)") { Line = p.Line };
                _requestedPackages.TryAdd(p.Name, requested);
                break;
            case CellDirective.KernelSelector { Language: not Document.CellLanguage.CSharp } k:
                throw new DirectiveException(
                    $"#!{k.Language} switches the rest of the cell to the {k.Language} kernel, which the runner does not have "
                    + "(it runs C#); put that code in its own cell and tag it 'skip-execution' to leave it out of headless runs") { Line = k.Line };
            case CellDirective.PackageSource s:
                var folder = Path.Combine(_notebookDirectory, s.Source);
                if (Uri.TryCreate(s.Source, UriKind.Absolute, out _)) { if (!_sources.Contains(s.Source)) _sources.Add(s.Source); }
                else if (Directory.Exists(folder)) { if (!_sources.Contains(Path.GetFullPath(folder))) _sources.Add(Path.GetFullPath(folder)); }
                else throw new DirectiveException($"#i: '{s.Source}' is neither a URL nor an existing folder") { Line = s.Line };
                break;
        }
    }

    /// <summary>
    /// Restores every package the notebook asked for so far, as the kernel does for a cell with <c>#r "nuget:"</c>,
    /// then references the new packages' assemblies and shows what was installed and which packages bring kernel
    /// extensions, as the kernel's outputs do.
    /// </summary>
    private void RestorePackages(IReadOnlyList<CellDirective.PackageReference> references)
    {
        if (references.Count == 0) return;
        IReadOnlyList<RestoredPackage> restored;
        try { restored = _restore.Restore([.. _requestedPackages.Values], _sources); }
        catch (DirectiveException e) { throw new DirectiveException(e.Message) { Line = references[0].Line }; }

        var added = restored.Where(p => _restoredPackages.Add($"{p.Name}/{p.Version}")).ToList();
        foreach (var package in added)
        {
            _process.Add(package);
            _options = _options.AddReferences(package.Assemblies.Select(a => MetadataReference.CreateFromFile(a)));
        }
        string Installed(CellDirective.PackageReference r) =>
            restored.FirstOrDefault(p => string.Equals(p.Name, r.Name, StringComparison.OrdinalIgnoreCase)) is { } p ? $"{p.Name}, {p.Version}"
            : r.Version is { } v ? $"{r.Name}, {v}" : r.Name;   // a package of dependencies only (e.g. TorchSharp-cpu) brings no files
        var installed = string.Concat(references.Select(r => $"<li><span>{System.Net.WebUtility.HtmlEncode(Installed(r))}</span></li>"));
        _globals.Show(new Dictionary<string, string>
        {
            ["text/html"] = $"<div><div></div><div></div><div><strong>Installed Packages</strong><ul>{installed}</ul></div></div>",
        });
        foreach (var package in added)
        {
            var extensions = Path.Combine(package.Root, "interactive-extensions", "dotnet");
            if (!Directory.Exists(extensions)) continue;
            foreach (var extension in Directory.GetFiles(extensions, "*.dll").Order(StringComparer.Ordinal))
                _globals.Show(new Dictionary<string, string> { ["text/plain"] = $"Loading extensions from `{extension}`" });
        }
    }

    private void LoadAssembly(CellDirective.AssemblyReference reference)
    {
        var path = Path.GetFullPath(Path.Combine(_notebookDirectory, reference.Path));
        if (!File.Exists(path))
            throw new DirectiveException($"#r: '{reference.Path}' not found (looked for {path}; relative paths start at the notebook's folder)")
            { Line = reference.Line };
        if (!_loadedFiles.Add(path)) return;
        Assembly assembly;
        try { assembly = Assembly.LoadFrom(path); }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException)
        {
            throw new DirectiveException($"#r: '{reference.Path}' is not a .NET assembly that can be loaded here: {e.Message}") { Line = reference.Line };
        }
        _options = _options.AddReferences(MetadataReference.CreateFromFile(path));
        // The kernel loads an assembly when it is referenced; its module initializer (e.g. formatter registration) runs now.
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
    }

    private CellError RuntimeError(Exception exception, string fileName, string[] cellLines)
    {
        if (exception is TargetInvocationException { InnerException: { } inner }) exception = inner;
        var frameInCell = new StackTrace(exception, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => f.GetFileName() is { } name && Path.GetFileName(name) == fileName);
        int? line = frameInCell?.GetFileLineNumber() is > 0 and var l ? l : null;
        int? column = frameInCell?.GetFileColumnNumber() is > 0 and var c ? c : null;

        var traceback = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            traceback.Add((e == exception ? "" : "---> ") + $"{e.GetType().FullName}: {e.Message}");
            traceback.AddRange(UserFrames(e));
        }
        if (KernelProcess.VersionConflict(exception) is { } conflict) traceback.Add("hint: " + conflict);
        return Error(CellError.Runtime, exception.GetType().FullName ?? exception.GetType().Name, exception.Message, line, column, cellLines, traceback);
    }

    /// <summary>Stack frames of the notebook and the libraries it calls, without the runner's and Roslyn's.</summary>
    private IEnumerable<string> UserFrames(Exception e)
    {
        foreach (var frame in new StackTrace(e, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            var ns = method?.DeclaringType?.Namespace ?? "";
            if (ns.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || ns.StartsWith("NotebookRunner", StringComparison.Ordinal)
                || ns.StartsWith("System.Runtime.CompilerServices", StringComparison.Ordinal)
                || ns.StartsWith("System.Runtime.ExceptionServices", StringComparison.Ordinal)) continue;
            var file = frame.GetFileName();
            if (file is not null && _cellLabels.TryGetValue(Path.GetFileName(file), out var label))
            {
                var where = $"{label}, line {frame.GetFileLineNumber()}";
                var topLevel = method?.DeclaringType?.Name.StartsWith("<<Initialize>>", StringComparison.Ordinal) == true;
                yield return topLevel ? $"   at {where}" : $"   at {method?.Name} ({where})";
            }
            else if (method is not null)
            {
                var location = file is null ? "" : $" in {Path.GetFileName(file)}:line {frame.GetFileLineNumber()}";
                yield return $"   at {method.DeclaringType?.FullName}.{method.Name}{location}";
            }
        }
    }

    private static CellError Error(string kind, string name, string message, int? line, int? column, string[] cellLines, IReadOnlyList<string> traceback)
    {
        var sourceLine = line is { } l && l >= 1 && l <= cellLines.Length ? cellLines[l - 1] : null;
        return new CellError(kind, name, message, line, column, sourceLine, traceback);
    }

    /// <summary>The shared framework's assemblies, so `using System.Text.Json;` works without #r, as in the kernel.
    /// Memory-mapped (<c>AssemblyMetadata.CreateFromFile</c>): <c>MetadataReference.CreateFromFile</c> would copy every
    /// whole image into memory before a worker's first compile.</summary>
    private static IEnumerable<MetadataReference> FrameworkReferences()
    {
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator);
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return tpa.Where(p => p.Length > 0 && Path.GetDirectoryName(p) == frameworkDir)
            .Where(p => Path.GetFileName(p) is var n && (n.StartsWith("System.", StringComparison.Ordinal) || n.StartsWith("Microsoft.", StringComparison.Ordinal) || n is "netstandard.dll" or "mscorlib.dll"))
            .Where(p => !Path.GetFileName(p).StartsWith("System.Private.", StringComparison.Ordinal) || Path.GetFileName(p) == "System.Private.CoreLib.dll")
            .Select(p => (MetadataReference)AssemblyMetadata.CreateFromFile(p).GetReference(filePath: p));
    }
}
