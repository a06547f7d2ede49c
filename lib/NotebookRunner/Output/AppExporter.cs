using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NotebookRunner.Document;
using NotebookRunner.Host;
using NotebookRunner.Parameters;

namespace NotebookRunner.Output;

/// <summary>A notebook that cannot be written as an app; the message names the notebook, cell and line.</summary>
public sealed class AppExportException(string message) : Exception(message);

/// <summary>
/// Writes a notebook as a .NET 10 file-based app (<c>dotnet run app.cs</c>): its packages as <c>#:package</c>, an
/// assembly it loads by path as <c>#:project</c> of the project that builds it, its Markdown as comments in place,
/// its code cells in order — <c>using</c> directives first and type declarations last, as C# requires of a program —
/// a trailing expression shown with <c>display</c>, and the variables of its <c>parameters</c> cell overridable from
/// the command line. The app runs on NotebookApp (display, pages, parameters), referenced as a project too.
/// </summary>
public static class AppExporter
{
    private static readonly CSharpParseOptions ScriptOptions = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>The app for <paramref name="notebook"/>, to be written into <paramref name="appDirectory"/>.</summary>
    public static string Export(Notebook notebook, string appDirectory, string notebookAppProject)
    {
        var name = Path.GetFileNameWithoutExtension(notebook.Path);
        var notebookDirectory = Path.GetDirectoryName(notebook.Path)!;
        var packages = new List<(string Name, string? Version)>();
        var projects = new List<string>();
        var usings = new List<string>();
        var body = new StringBuilder();
        var types = new StringBuilder();
        var parametersCell = NotebookParameters.FindParametersCell(notebook);

        foreach (var cell in notebook.Cells)
        {
            switch (cell.Kind)
            {
                case CellKind.Markdown:
                    body.Append('\n');
                    foreach (var line in cell.Source.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
                        body.Append(line.Length == 0 ? "//" : "// " + line).Append('\n');
                    break;
                case CellKind.Code when cell.Language != CellLanguage.CSharp || cell.HasTag(NotebookExecution.SkipTag):
                    body.Append($"\n// ({cell.Label} is {(cell.Language != CellLanguage.CSharp ? $"in {cell.Language}" : "tagged skip-execution")}: not part of the app)\n");
                    break;
                case CellKind.Code:
                    body.Append($"\n// ── {cell.Label}{(cell == parametersCell ? " (parameters)" : "")} ──\n");
                    ExportCode(notebook, cell, notebookDirectory, appDirectory, packages, projects, usings, body, types);
                    if (cell == parametersCell) body.Append(ParameterOverrides(notebook, cell));
                    break;
            }
        }

        var app = new StringBuilder();
        app.Append($"// {name}: generated from notebooks/{Path.GetFileName(notebook.Path)} by NotebookRunner (--export-apps); do not edit.\n");
        app.Append($"// Run it with: dotnet run {Path.GetFileName(appDirectory)}/{name}.cs [--parameter value ...] [--out DIR]\n");
        foreach (var (package, version) in packages)
            app.Append($"#:package {package}{(version is null ? "" : "@" + version)}\n");
        foreach (var project in projects.Append(Relative(appDirectory, notebookAppProject)).Distinct())
            app.Append($"#:project {project}\n");
        app.Append('\n');
        foreach (var u in CSharpKernelUsings.All) app.Append($"using {u};\n");
        app.Append("using static NotebookApp.AppDisplay;   // display(...) and HTML(...), as in the notebook's kernel\n");
        foreach (var u in usings.Distinct()) app.Append(u).Append('\n');
        app.Append('\n');
        app.Append($"var app = NotebookApp.AppHost.Start(\"{name}\", args);   // runs in this file's folder, as the notebook runs in its own\n");
        if (parametersCell is null) app.Append("app.Check();\n");
        app.Append(body);
        if (types.Length > 0)
        {
            app.Append("\n// ── the notebook's type declarations (a C# program declares its types after its statements) ──\n");
            app.Append(types);
        }
        return app.ToString();
    }

    private static void ExportCode(Notebook notebook, NotebookCell cell, string notebookDirectory, string appDirectory,
        List<(string, string?)> packages, List<string> projects, List<string> usings, StringBuilder body, StringBuilder types)
    {
        IReadOnlyList<CellDirective> directives;
        string code;
        try { (directives, code) = CellDirectives.Split(cell.Source); }
        catch (DirectiveException e) { throw new AppExportException($"{notebook.Path}: {cell.Label}, line {e.Line}: {e.Message}"); }
        foreach (var directive in directives)
        {
            switch (directive)
            {
                case CellDirective.PackageReference p:
                    if (!packages.Any(x => string.Equals(x.Item1, p.Name, StringComparison.OrdinalIgnoreCase))) packages.Add((p.Name, p.Version));
                    break;
                case CellDirective.AssemblyReference a:
                    projects.Add(ProjectFor(notebook, cell, a, notebookDirectory, appDirectory));
                    break;
                case CellDirective.PackageSource s:
                    throw new AppExportException($"{notebook.Path}: {cell.Label}, line {s.Line}: #i package sources have no file-based app equivalent; put the source in a NuGet.config");
                case CellDirective.KernelSelector { Language: not CellLanguage.CSharp } k:
                    throw new AppExportException($"{notebook.Path}: {cell.Label}, line {k.Line}: #!{k.Language} switches kernels; only C# can be exported");
            }
        }

        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, ScriptOptions).GetRoot();
        if (root.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
        {
            var line = error.Location.GetLineSpan().StartLinePosition.Line + 1;
            throw new AppExportException($"{notebook.Path}: {cell.Label}, line {line}: {error.GetMessage()}");
        }
        foreach (var u in root.Usings) usings.Add(u.ToString().Trim());
        var last = root.Members.LastOrDefault();
        foreach (var member in root.Members)
        {
            var text = Text(member);
            switch (member)
            {
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    types.Append('\n').Append(text).Append('\n');
                    break;
                case GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } expression } when member == last:
                    // The cell's result: the kernel shows it, the app displays it.
                    body.Append(Leading(member)).Append("display(").Append(expression.Expression.ToString()).Append(");\n");
                    break;
                default:
                    body.Append(text).Append('\n');
                    break;
            }
        }
    }

    /// <summary>A member's text with its comments, without the blank lines the removed directives left.</summary>
    private static string Text(SyntaxNode member) => member.ToFullString().Trim('\n', '\r').TrimEnd();

    private static string Leading(SyntaxNode member)
    {
        var leading = member.GetLeadingTrivia().ToFullString().Trim('\n', '\r');
        return leading.Trim().Length == 0 ? "" : leading + "\n";
    }

    /// <summary>
    /// The lines that let the command line override the parameters cell's variables, each read with the runner's
    /// typed checks (NotebookApp.ParameterText).
    /// </summary>
    private static string ParameterOverrides(Notebook notebook, NotebookCell parametersCell)
    {
        var declared = NotebookParameters.Declared(parametersCell);
        var text = new StringBuilder("// Any of the parameters above can be given on the command line, e.g. --")
            .Append(declared.FirstOrDefault()?.Name ?? "name").Append(" value:\n");
        foreach (var parameter in declared.Where(p => p.Type is not null))
            text.Append($"{parameter.Name} = app.Get(\"{parameter.Name}\", {parameter.Name});\n");
        text.Append("app.Check();\n");
        return text.ToString();
    }

    /// <summary>The project that builds an assembly a notebook loads by path: …/X/bin/…/X.dll → …/X/X.csproj.</summary>
    private static string ProjectFor(Notebook notebook, NotebookCell cell, CellDirective.AssemblyReference reference, string notebookDirectory, string appDirectory)
    {
        var dll = Path.GetFullPath(Path.Combine(notebookDirectory, reference.Path));
        var projectName = Path.GetFileNameWithoutExtension(dll) + ".csproj";
        for (var dir = Path.GetDirectoryName(dll); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var candidate = Path.Combine(dir, projectName);
            if (File.Exists(candidate)) return Relative(appDirectory, candidate);
        }
        throw new AppExportException(
            $"{notebook.Path}: {cell.Label}, line {reference.Line}: #r \"{reference.Path}\" loads an assembly whose project ({projectName}) "
            + "is not in a folder above it; a file-based app can reference a project (#:project) or a package (#:package), not a DLL");
    }

    private static string Relative(string fromDirectory, string path) => Path.GetRelativePath(fromDirectory, path).Replace('\\', '/');
}

/// <summary>Where NotebookApp.csproj is: in a folder above the runner's own assembly (its sources sit beside the runner's).</summary>
public static class AppHostProject
{
    public static string? Locate()
    {
        for (var dir = Path.GetDirectoryName(typeof(AppHostProject).Assembly.Location); dir is not null; dir = Path.GetDirectoryName(dir))
            foreach (var candidate in new[] { Path.Combine(dir, "NotebookApp", "NotebookApp.csproj"), Path.Combine(dir, "lib", "NotebookApp", "NotebookApp.csproj") })
                if (File.Exists(candidate)) return candidate;
        return null;
    }
}
