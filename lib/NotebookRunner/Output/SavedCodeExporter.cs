using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NotebookRunner.Document;

namespace NotebookRunner.Output;

/// <summary>A cell marked <c>// @save</c> that cannot be extracted; the message names the notebook, cell and line.</summary>
public sealed class SavedCodeException(string message) : Exception(message);

/// <summary>
/// d2l's <c>#@save</c> for C# notebooks: the code cells whose first line is <c>// @save</c> are extracted, as written,
/// into one C# file per notebook that a compiled library can include, so a later notebook calls the very code an
/// earlier one showed. A saved cell holds only type and method declarations (and <c>using</c> directives). They become
/// members of one public static class named after the notebook (<c>03-airline-windowing.ipynb</c> →
/// <c>Chapter03</c>; without a leading number, the name in Pascal case): types without an access modifier become
/// public, methods become public static. The file carries the <c>using</c> directives of all the notebook's cells
/// and compiles without a nullable context, as the script did.
/// </summary>
public static class SavedCodeExporter
{
    public const string Marker = "// @save";
    private static readonly CSharpParseOptions ScriptOptions = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>True when the cell's first line is the <c>// @save</c> marker (anything may follow it on that line).</summary>
    public static bool IsSaved(NotebookCell cell) => cell.Kind == CellKind.Code && StartsWithMarker(cell.Source);

    /// <summary>The text (after leading white space) is the marker, alone or followed by anything but a letter or digit.</summary>
    private static bool StartsWithMarker(string text)
    {
        var t = text.TrimStart();
        return t.StartsWith(Marker, StringComparison.Ordinal) && (t.Length == Marker.Length || !char.IsLetterOrDigit(t[Marker.Length]));
    }

    /// <summary>The static class a notebook's saved code goes into: "Chapter03" for "03-airline-windowing.ipynb".</summary>
    public static string ClassName(string notebookPath)
    {
        var name = Path.GetFileNameWithoutExtension(notebookPath);
        var digits = new string(name.TakeWhile(char.IsDigit).ToArray());
        if (digits.Length > 0) return "Chapter" + digits;
        var words = name.Split(['-', '_', ' ', '.'], StringSplitOptions.RemoveEmptyEntries);
        var pascal = string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        return SyntaxFacts.IsValidIdentifier(pascal) ? pascal : throw new SavedCodeException($"{notebookPath}: '{name}' gives no C# class name for its saved cells");
    }

    /// <summary>The C# file for <paramref name="notebook"/>'s saved cells, or null when it has none.</summary>
    public static string? Export(Notebook notebook, string @namespace, string notebookDisplayPath)
    {
        var saved = notebook.CodeCells.Where(IsSaved).ToList();
        if (saved.Count == 0) return null;
        var className = ClassName(notebook.Path);

        if (saved.FirstOrDefault(c => c.Language != CellLanguage.CSharp) is { } other)
            throw new SavedCodeException($"{notebook.Path}: {other.Label}, line 1: a cell marked {Marker} must be C#, this one is {other.Language}");
        var parsed = notebook.CodeCells.Where(c => c.Language == CellLanguage.CSharp).Select(c => (Cell: c, Root: Parse(notebook, c))).ToList();
        var usings = parsed.SelectMany(p => p.Root.Usings)
            .Where(u => u.Alias is null && u.GlobalKeyword.IsKind(SyntaxKind.None))
            .Select(u => u.ToString().Trim());

        var members = new StringBuilder();
        foreach (var cell in saved)
        {
            var root = parsed.Single(p => p.Cell == cell).Root;
            members.Append($"\n    // ── {cell.Label} of {notebookDisplayPath} ──\n");
            foreach (var member in root.Members)
            {
                var saveable = member switch
                {
                    BaseTypeDeclarationSyntax or DelegateDeclarationSyntax => Publish(member),
                    MethodDeclarationSyntax method => PublishStatic(method),
                    _ => throw new SavedCodeException(
                        $"{notebook.Path}: {cell.Label}, line {Line(member)}: a cell marked {Marker} may hold only type and method declarations; "
                        + $"move this {Describe(member)} to another cell"),
                };
                members.Append('\n').Append(Indent(Text(saveable))).Append('\n');
            }
        }

        var file = new StringBuilder();
        file.Append($"// Generated from {notebookDisplayPath}: its cells marked {Marker}, as written there. Do not edit;\n");
        file.Append("// edit the notebook and run NotebookRunner --export-saved again (a test checks that the two agree).\n");
        file.Append("#nullable disable   // as in the notebook: scripts compile without a nullable context\n\n");
        foreach (var u in CSharpKernelUsings.All) file.Append($"using {u};\n");
        foreach (var u in usings.Distinct()) file.Append(u).Append('\n');
        file.Append($"\nnamespace {@namespace};\n\n");
        file.Append($"/// <summary>The code {notebookDisplayPath} shows in its cells marked {Marker}, for later notebooks to call.</summary>\n");
        file.Append($"public static class {className}\n{{");
        file.Append(members);
        file.Append("}\n");
        return file.ToString();
    }

    private static CompilationUnitSyntax Parse(Notebook notebook, NotebookCell cell)
    {
        string code;
        try
        {
            var (directives, rest) = CellDirectives.Split(cell.Source);
            if (IsSaved(cell) && directives.FirstOrDefault() is { } directive)
                throw new SavedCodeException($"{notebook.Path}: {cell.Label}, line {directive.Line}: a cell marked {Marker} cannot hold #r, #i or #! directives; put them in the set-up cell");
            code = rest;
        }
        catch (DirectiveException e) { throw new SavedCodeException($"{notebook.Path}: {cell.Label}, line {e.Line}: {e.Message}"); }
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, ScriptOptions).GetRoot();
        if (root.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
            throw new SavedCodeException($"{notebook.Path}: {cell.Label}, line {error.Location.GetLineSpan().StartLinePosition.Line + 1}: {error.GetMessage()}");
        return root;
    }

    private static readonly SyntaxKind[] Accessibility = [SyntaxKind.PublicKeyword, SyntaxKind.InternalKeyword, SyntaxKind.PrivateKeyword, SyntaxKind.ProtectedKeyword, SyntaxKind.FileKeyword];

    private static MemberDeclarationSyntax Publish(MemberDeclarationSyntax member) =>
        member.Modifiers.Any(m => Accessibility.Contains(m.Kind())) ? member : AddModifiers(member, SyntaxKind.PublicKeyword);

    private static MemberDeclarationSyntax PublishStatic(MethodDeclarationSyntax method)
    {
        MemberDeclarationSyntax result = method.Modifiers.Any(SyntaxKind.StaticKeyword) ? method : AddModifiers(method, SyntaxKind.StaticKeyword);
        return Publish(result);
    }

    /// <summary>Puts <paramref name="kind"/> first among the member's modifiers, keeping the member's comments before it.</summary>
    private static MemberDeclarationSyntax AddModifiers(MemberDeclarationSyntax member, SyntaxKind kind)
    {
        var leading = member.GetLeadingTrivia();
        var bare = member.WithoutLeadingTrivia();
        var modifier = SyntaxFactory.Token(kind).WithTrailingTrivia(SyntaxFactory.Space);
        var updated = bare.WithModifiers(bare.Modifiers.Insert(0, modifier));
        return updated.WithLeadingTrivia(leading);
    }

    /// <summary>A member's text with its comments, without the marker line or the blank lines around it.</summary>
    private static string Text(SyntaxNode member)
    {
        var lines = member.ToFullString().Replace("\r\n", "\n").Split('\n').Where(l => !StartsWithMarker(l));
        return string.Join('\n', lines).Trim('\n').TrimEnd();
    }

    private static string Indent(string text) =>
        string.Join('\n', text.Split('\n').Select(l => l.Length == 0 ? l : "    " + l));

    private static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    private static string Describe(MemberDeclarationSyntax member) => member switch
    {
        GlobalStatementSyntax => "statement",
        FieldDeclarationSyntax => "variable",
        PropertyDeclarationSyntax => "property",
        _ => member.Kind().ToString(),
    };
}
