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
/// as the cell's result, and #r / #i / #! directives handled before compilation.
/// </summary>
internal sealed class ScriptKernel
{
    /// <summary>The C# kernel's default usings.</summary>
    public static readonly string[] DefaultImports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    private readonly NotebookGlobals _globals;
    private readonly PackageCatalog _packages;
    private readonly string _notebookDirectory;
    private readonly Dictionary<string, string> _cellLabels = [];
    private readonly HashSet<string> _loadedFiles = new(StringComparer.Ordinal);
    private ScriptOptions _options;
    private ScriptState<object>? _state;

    public ScriptKernel(NotebookGlobals globals, PackageCatalog packages, string notebookDirectory)
    {
        _globals = globals;
        _packages = packages;
        _notebookDirectory = notebookDirectory;
        _options = ScriptOptions.Default
            .WithImports(DefaultImports)
            .WithReferences(FrameworkReferences())
            .AddReferences(typeof(NotebookGlobals).Assembly, typeof(Formatter).Assembly,
                typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly)
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(notebookDirectory))
            .WithSourceResolver(new SourceFileResolver([], notebookDirectory));
    }

    /// <summary>Runs one cell; outputs go to the event sink. Returns the error, or null when the cell succeeded.</summary>
    public async Task<CellError?> RunCellAsync(JobCell cell)
    {
        var cellLines = cell.Source.Replace("\r\n", "\n").Split('\n');
        IReadOnlyList<CellDirective> directives;
        string code;
        try
        {
            (directives, code) = CellDirectives.Split(cell.Source);
            foreach (var directive in directives) Apply(directive);
        }
        catch (DirectiveException e)
        {
            return Error(CellError.Directive, "DirectiveError", e.Message, e.Line, 1, cellLines, [$"{cell.Label}, line {e.Line}: {e.Message}"]);
        }

        var fileName = $"cell-{cell.Position}";
        _cellLabels[fileName] = cell.Label;
        var options = _options.WithFilePath(fileName);
        var script = _state is null
            ? CSharpScript.Create(code, options, typeof(NotebookGlobals))
            : _state.Script.ContinueWith(code, options);

        var errors = script.Compile().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
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

        if (HasTrailingExpression(script))
        {
            _globals.Sink.Send(new WorkerEvent
            {
                Type = WorkerEvent.Result, Position = cell.Position,
                Data = OutputFormatting.Format(state.ReturnValue, []),
            });
        }
        return null;
    }

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
                try { _options = _options.AddReferences(_packages.Resolve(p.Name, p.Version)); }
                catch (DirectiveException e) { throw new DirectiveException(e.Message) { Line = p.Line }; }
                break;
            case CellDirective.AssemblyReference a:
                LoadAssembly(a);
                break;
            case CellDirective.PackageSource s:
                // Sources only matter for a restore; the runner's packages are already resolved. Validate the form.
                if (!Uri.TryCreate(s.Source, UriKind.Absolute, out _) && !Directory.Exists(Path.Combine(_notebookDirectory, s.Source)))
                    throw new DirectiveException($"#i: '{s.Source}' is neither a URL nor an existing folder") { Line = s.Line };
                break;
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

    private static bool HasTrailingExpression(Script script)
    {
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.Last();
        if (tree.GetRoot() is not CompilationUnitSyntax root) return false;
        if (root.Members.LastOrDefault() is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement }) return false;
        if (!statement.SemicolonToken.IsMissing) return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
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
        if (NativeLoadHint(exception) is { } hint) traceback.Add(hint);
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

    private static string? NativeLoadHint(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DllNotFoundException || e.Message.Contains("GLIBCXX", StringComparison.Ordinal)
                || (e is NotSupportedException && e.Message.Contains("libtorch", StringComparison.OrdinalIgnoreCase)))
                return "hint: a native library failed to load. TorchSharp 0.107 needs GLIBCXX_3.4.32; on Debian 12 or Ubuntu 22.04 run "
                     + "the command through .devcontainer/run-in-trixie-rootfs.sh (see README.md, 'Platforms').";
        }
        return null;
    }

    private static CellError Error(string kind, string name, string message, int? line, int? column, string[] cellLines, IReadOnlyList<string> traceback)
    {
        var sourceLine = line is { } l && l >= 1 && l <= cellLines.Length ? cellLines[l - 1] : null;
        return new CellError(kind, name, message, line, column, sourceLine, traceback);
    }

    /// <summary>The shared framework's assemblies, so `using System.Text.Json;` works without #r, as in the kernel.</summary>
    private static IEnumerable<MetadataReference> FrameworkReferences()
    {
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator);
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return tpa.Where(p => p.Length > 0 && Path.GetDirectoryName(p) == frameworkDir)
            .Where(p => Path.GetFileName(p) is var n && (n.StartsWith("System.", StringComparison.Ordinal) || n.StartsWith("Microsoft.", StringComparison.Ordinal) || n is "netstandard.dll" or "mscorlib.dll"))
            .Where(p => !Path.GetFileName(p).StartsWith("System.Private.", StringComparison.Ordinal) || Path.GetFileName(p) == "System.Private.CoreLib.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
    }
}
